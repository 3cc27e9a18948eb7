package org.kafkatrain.trainer;

import org.kafkatrain.engine.Hyperparameters;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a user sends to start a run (POST /runs). Unset fields take the tutorial's defaults; the dataset's manifest
 * supplies the class count and image shape.
 *
 * @param mode              {@code epochs}: each epoch is what the train topic holds when it starts;
 *                          {@code continuous}: follow the topic, an epoch being {@code epochSamples} new samples
 * @param checkpointEvery   also checkpoint every N optimizer steps (0: at epoch ends only)
 * @param keepLast          epoch checkpoints kept besides the best-top-1 one
 * @param shuffleBuffer     samples held by the streaming shuffle (at least the epoch size for a full shuffle)
 * @param maxEvalSamples    cap on validation samples per epoch (0: the whole val topic)
 */
public record RunConfig(String runId, String dataset, String trainTopic, String valTopic, String mode, int epochs,
                        long epochSamples, Double lr, Double beta1, Double beta2, Double eps, Double weightDecay,
                        Integer stepSize, Double gamma, Integer batchSize, Integer evalBatchSize, List<Double> mean,
                        List<Double> std, Long seed, Boolean augment, String device, Integer checkpointEvery,
                        Integer keepLast, Integer shuffleBuffer, Long maxEvalSamples) {
    public static final String EPOCHS = "epochs";
    public static final String CONTINUOUS = "continuous";
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** This config with every default filled in; throws IllegalArgumentException naming the first bad field. */
    public RunConfig resolved(String defaultTrainTopic, String defaultValTopic) {
        Hyperparameters d = Hyperparameters.defaults();
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("runId must match " + RUN_ID.pattern() + ": " + runId);
        }
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("dataset is required: the id of a manifest on the datasets topic (ingest publishes one)");
        }
        String m = mode == null ? EPOCHS : mode;
        if (!m.equals(EPOCHS) && !m.equals(CONTINUOUS)) {
            throw new IllegalArgumentException("mode must be 'epochs' or 'continuous': " + mode);
        }
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs must be positive: " + epochs);
        }
        if (m.equals(CONTINUOUS) && epochSamples <= 0) {
            throw new IllegalArgumentException("continuous mode needs epochSamples > 0");
        }
        RunConfig r = new RunConfig(runId, dataset, or(trainTopic, defaultTrainTopic), or(valTopic, defaultValTopic), m, epochs,
                epochSamples, or(lr, d.lr()), or(beta1, d.beta1()), or(beta2, d.beta2()), or(eps, d.eps()),
                or(weightDecay, d.weightDecay()), or(stepSize, d.stepSize()), or(gamma, d.gamma()), or(batchSize, d.batchSize()),
                or(evalBatchSize, 2 * or(batchSize, d.batchSize())), or(mean, d.mean()), or(std, d.std()), or(seed, d.seed()),
                or(augment, d.augment()), or(device, "auto"), or(checkpointEvery, 0), or(keepLast, 3), or(shuffleBuffer, 10_000),
                or(maxEvalSamples, 0L));
        r.hyperparameters(1); // validates the numbers
        if (r.evalBatchSize <= 0 || r.keepLast < 1 || r.shuffleBuffer <= 0 || r.checkpointEvery < 0) {
            throw new IllegalArgumentException("evalBatchSize, shuffleBuffer and keepLast must be positive, checkpointEvery non-negative");
        }
        return r;
    }

    public Hyperparameters hyperparameters(int imageSize) {
        return new Hyperparameters(lr, beta1, beta2, eps, weightDecay, stepSize, gamma, batchSize, imageSize, mean, std, seed, augment);
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
