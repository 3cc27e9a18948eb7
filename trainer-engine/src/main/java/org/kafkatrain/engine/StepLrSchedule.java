package org.kafkatrain.engine;

/**
 * {@code torch.optim.lr_scheduler.StepLR}: the learning rate of epoch e is {@code base_lr * gamma^(e / step_size)}.
 * Stepped once per epoch, after the epoch, as the tutorial's loop does. Its whole state is the epoch count, which the
 * checkpoint stores in PyTorch's layout ({@code last_epoch}, {@code base_lrs}, ...).
 */
public final class StepLrSchedule {
    private final double baseLr;
    private final int stepSize;
    private final double gamma;
    private int lastEpoch;

    public StepLrSchedule(double baseLr, int stepSize, double gamma) {
        if (stepSize <= 0) {
            throw new IllegalArgumentException("step size must be positive: " + stepSize);
        }
        this.baseLr = baseLr;
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    /** Learning rate for the given epoch (0-based). */
    public double lrAt(int epoch) {
        // PyTorch multiplies by gamma at each boundary; pow gives the same float64 value for these exponents.
        return baseLr * Math.pow(gamma, epoch / stepSize);
    }

    public double currentLr() {
        return lrAt(lastEpoch);
    }

    /** End of an epoch: moves on to the next epoch's rate and applies it. */
    public void step(AdamOptimizer optimizer) {
        lastEpoch++;
        optimizer.setLr(currentLr());
    }

    /** After a restore: the schedule is at {@code epoch} and the optimizer runs at that epoch's rate. */
    public void resumeAt(int epoch, AdamOptimizer optimizer) {
        lastEpoch = epoch;
        optimizer.setLr(currentLr());
    }

    public int lastEpoch() {
        return lastEpoch;
    }

    public double baseLr() {
        return baseLr;
    }

    public int stepSize() {
        return stepSize;
    }

    public double gamma() {
        return gamma;
    }
}
