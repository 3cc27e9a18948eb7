package org.kafkatrain.contracts;

/**
 * One event on {@code training.metrics}, keyed by run id (schema: {@code schemas/training-metrics.v1.json}).
 * Percentages come from summed hit and sample counts, never from averaging percentages.
 *
 * @param kind        {@code window} (time-windowed), {@code last_n} (the last N steps) or {@code epoch} (a whole epoch)
 * @param epoch       the epoch for {@code kind=epoch}, otherwise the newest epoch in the window
 * @param windowStart start of the window (event time, ms); for {@code last_n} and {@code epoch} the first step's time
 * @param windowEnd   end of the window (ms, exclusive); for {@code last_n} and {@code epoch} the last step's time
 * @param steps       number of step events aggregated
 * @param samples     number of images aggregated
 * @param loss        sample-weighted mean loss
 * @param top1        top-1 accuracy in percent
 * @param top5        top-5 accuracy in percent
 * @param imagesPerSec samples divided by the span of event time they cover
 */
public record TrainingMetrics(
        int v,
        String kind,
        String runId,
        String split,
        int epoch,
        long windowStart,
        long windowEnd,
        long steps,
        long samples,
        double loss,
        double top1,
        double top5,
        double imagesPerSec) {
    public static final int VERSION = 1;
    public static final String WINDOW = "window";
    public static final String LAST_N = "last_n";
    public static final String EPOCH = "epoch";
}
