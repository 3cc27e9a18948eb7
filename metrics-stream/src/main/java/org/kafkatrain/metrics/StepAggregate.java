package org.kafkatrain.metrics;

import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.TrainingStep;

/**
 * Sums over step events: the state of every window, last-N and epoch aggregation. Accuracy comes from summed hit
 * and sample counts, loss is weighted by batch size, so no average of averages is ever taken.
 */
public record StepAggregate(long steps, long samples, double lossSum, long correct1, long correct5, long firstTimestamp,
                            long lastTimestamp, int epoch) {
    public static final StepAggregate EMPTY = new StepAggregate(0, 0, 0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0);

    public StepAggregate add(TrainingStep s) {
        return new StepAggregate(steps + 1, samples + s.samples(), lossSum + s.loss() * s.samples(), correct1 + s.correct1(),
                correct5 + s.correct5(), Math.min(firstTimestamp, s.timestamp()), Math.max(lastTimestamp, s.timestamp()),
                Math.max(epoch, s.epoch()));
    }

    public StepAggregate minus(TrainingStep s) {
        return new StepAggregate(steps - 1, samples - s.samples(), lossSum - s.loss() * s.samples(), correct1 - s.correct1(),
                correct5 - s.correct5(), firstTimestamp, lastTimestamp, epoch);
    }

    /**
     * @param spanMillis the event time the samples cover, for images/s (the window size for time windows)
     */
    public TrainingMetrics toMetrics(String kind, String runId, String split, int epochOf, long start, long end, double spanMillis) {
        double n = Math.max(1, samples);
        return new TrainingMetrics(TrainingMetrics.VERSION, kind, runId, split, epochOf, start, end, steps, samples, lossSum / n,
                100.0 * correct1 / n, 100.0 * correct5 / n, spanMillis > 0 ? samples / (spanMillis / 1000.0) : 0.0);
    }
}
