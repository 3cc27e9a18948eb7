package org.kafkatrain.metrics.model;

import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.TrainingStep;

/**
 * Sums over step events: the state of every window, last-N and epoch aggregation. Accuracy comes from summed hit
 * and sample counts, loss is weighted by batch size, so no average of averages is ever taken.
 */
public record StepAggregate(
        long steps,
        long samples,
        double lossSum,
        long correct1,
        long correct5,
        long firstTimestamp,
        long lastTimestamp,
        int epoch) {
    public static final StepAggregate EMPTY = new StepAggregate(0, 0, 0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0);

    public StepAggregate add(TrainingStep s) {
        return add(s.samples(), s.loss(), s.correct1(), s.correct5(), s.timestamp(), s.epoch());
    }

    public StepAggregate add(int n, double meanLoss, long hits1, long hits5, long timestamp, int epochOf) {
        return new StepAggregate(
                steps + 1,
                samples + n,
                lossSum + meanLoss * n,
                correct1 + hits1,
                correct5 + hits5,
                Math.min(firstTimestamp, timestamp),
                Math.max(lastTimestamp, timestamp),
                Math.max(epoch, epochOf));
    }

    /**
     * @param spanMillis the event time the samples cover, for images/s (the window size for time windows)
     */
    public TrainingMetrics toMetrics(
            String kind, String runId, String split, int epochOf, long start, long end, double spanMillis) {
        double n = Math.max(1, samples);
        return new TrainingMetrics(
                TrainingMetrics.VERSION,
                kind,
                runId,
                split,
                epochOf,
                start,
                end,
                steps,
                samples,
                lossSum / n,
                100.0 * correct1 / n,
                100.0 * correct5 / n,
                spanMillis > 0 ? samples / (spanMillis / 1000.0) : 0.0);
    }
}
