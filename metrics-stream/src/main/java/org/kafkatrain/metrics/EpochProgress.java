package org.kafkatrain.metrics;

/**
 * An epoch of one split being summed up: its steps so far, the sample count the trainer's epoch_end announced
 * (-1 until it arrives), and whether the summary went out.
 */
public record EpochProgress(StepAggregate sum, long expectedSamples, boolean emitted) {
    static final EpochProgress EMPTY = new EpochProgress(StepAggregate.EMPTY, -1, false);

    boolean complete() {
        return !emitted && expectedSamples >= 0 && sum.samples() >= expectedSamples;
    }
}
