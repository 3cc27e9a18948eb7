package org.kafkatrain.engine;

import org.kafkatrain.contracts.runs.RunField;

import java.util.List;

/**
 * Everything that shapes the optimisation of a run. Defaults follow the PyTorch tutorial the product grew from:
 * Adam at 1e-3, StepLR every 20 epochs by 0.1, cross-entropy loss; ImageNet normalization.
 */
public record Hyperparameters(
        double lr,
        double beta1,
        double beta2,
        double eps,
        double weightDecay,
        int stepSize,
        double gamma,
        int batchSize,
        int imageSize,
        List<Double> mean,
        List<Double> std,
        long seed,
        boolean augment) {
    /** A new run's, as {@link RunField} declares them, at a 32 px image side. */
    @SuppressWarnings("unchecked")
    public static Hyperparameters defaults() {
        return new Hyperparameters(
                (Double) RunField.LR.defaultValue(),
                (Double) RunField.BETA1.defaultValue(),
                (Double) RunField.BETA2.defaultValue(),
                (Double) RunField.EPS.defaultValue(),
                (Double) RunField.WEIGHT_DECAY.defaultValue(),
                (Integer) RunField.STEP_SIZE.defaultValue(),
                (Double) RunField.GAMMA.defaultValue(),
                (Integer) RunField.BATCH_SIZE.defaultValue(),
                32,
                (List<Double>) RunField.MEAN.defaultValue(),
                (List<Double>) RunField.STD.defaultValue(),
                (Long) RunField.SEED.defaultValue(),
                (Boolean) RunField.AUGMENT.defaultValue());
    }

    public Hyperparameters {
        if (lr <= 0 || batchSize <= 0 || imageSize <= 0 || stepSize <= 0) {
            throw new IllegalArgumentException("lr, batchSize, imageSize and stepSize must be positive");
        }
        if (mean.size() != 3 || std.size() != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (RGB)");
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
    }

    /** These settings with another batch size and image side. */
    public Hyperparameters withBatch(int newBatchSize, int newImageSize) {
        return new Hyperparameters(
                lr,
                beta1,
                beta2,
                eps,
                weightDecay,
                stepSize,
                gamma,
                newBatchSize,
                newImageSize,
                mean,
                std,
                seed,
                augment);
    }

    /** These settings with another learning rate. */
    public Hyperparameters withLr(double newLr) {
        return new Hyperparameters(
                newLr, beta1, beta2, eps, weightDecay, stepSize, gamma, batchSize, imageSize, mean, std, seed, augment);
    }

    /** These settings with another seed. */
    public Hyperparameters withSeed(long newSeed) {
        return new Hyperparameters(
                lr, beta1, beta2, eps, weightDecay, stepSize, gamma, batchSize, imageSize, mean, std, newSeed, augment);
    }
}
