package org.kafkatrain.metrics.model;

/**
 * An epoch of one split being summed up: its steps so far, the sample count the trainer's epoch_end announced
 * (-1 until it arrives), and whether the summary went out.
 */
public record EpochProgress(StepAggregate sum, long expectedSamples, boolean emitted) {
    public static final EpochProgress EMPTY = new EpochProgress(StepAggregate.EMPTY, -1, false);

    public boolean complete() {
        return !emitted && expectedSamples >= 0 && sum.samples() >= expectedSamples;
    }
}
