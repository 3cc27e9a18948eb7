package org.kafkatrain.metrics.model;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.kafkatrain.contracts.TrainingStep;

import java.nio.ByteBuffer;

/**
 * The steps of one stretch of a series, as the figures that merge: how many steps and samples, sample-weighted
 * sums for loss and hits (so a bucket's loss is the mean over its samples, as an epoch's is), plain sums for lr,
 * images/s and rejected, and each metric's smallest and largest per-step value. Binary: rewritten on every step.
 */
public record SeriesBucket(
        long firstStep,
        long lastStep,
        long steps,
        long samples,
        double lossSum,
        long correct1,
        long correct5,
        double lrSum,
        double imagesPerSecSum,
        double rejectedSum,
        double[] min,
        double[] max) {
    private static final int METRICS = SeriesMetric.values().length;
    private static final int BYTES = 8 * 10 + 2 * 8 * METRICS;

    public static SeriesBucket of(TrainingStep step) {
        double[] values = values(step);
        return new SeriesBucket(
                step.step(),
                step.step(),
                1,
                step.samples(),
                step.loss() * step.samples(),
                step.correct1(),
                step.correct5(),
                step.lr(),
                step.imagesPerSec(),
                step.rejected(),
                values,
                values.clone());
    }

    public SeriesBucket merge(SeriesBucket other) {
        double[] lo = new double[METRICS];
        double[] hi = new double[METRICS];
        for (int i = 0; i < METRICS; i++) {
            lo[i] = Math.min(min[i], other.min[i]);
            hi[i] = Math.max(max[i], other.max[i]);
        }
        return new SeriesBucket(
                Math.min(firstStep, other.firstStep),
                Math.max(lastStep, other.lastStep),
                steps + other.steps,
                samples + other.samples,
                lossSum + other.lossSum,
                correct1 + other.correct1,
                correct5 + other.correct5,
                lrSum + other.lrSum,
                imagesPerSecSum + other.imagesPerSecSum,
                rejectedSum + other.rejectedSum,
                lo,
                hi);
    }

    /** The bucket's value of a metric: over its samples for loss and accuracy, over its steps for the others. */
    public double mean(SeriesMetric metric) {
        return switch (metric) {
            case LOSS -> samples == 0 ? Double.NaN : lossSum / samples;
            case TOP1 -> samples == 0 ? Double.NaN : 100.0 * correct1 / samples;
            case TOP5 -> samples == 0 ? Double.NaN : 100.0 * correct5 / samples;
            case LR -> lrSum / steps;
            case IMAGES_PER_SEC -> imagesPerSecSum / steps;
            case REJECTED -> rejectedSum / steps;
        };
    }

    public double min(SeriesMetric metric) {
        return min[metric.ordinal()];
    }

    public double max(SeriesMetric metric) {
        return max[metric.ordinal()];
    }

    private static double[] values(TrainingStep s) {
        double n = Math.max(1, s.samples());
        double[] v = new double[METRICS];
        v[SeriesMetric.LOSS.ordinal()] = s.loss();
        v[SeriesMetric.TOP1.ordinal()] = 100.0 * s.correct1() / n;
        v[SeriesMetric.TOP5.ordinal()] = 100.0 * s.correct5() / n;
        v[SeriesMetric.LR.ordinal()] = s.lr();
        v[SeriesMetric.IMAGES_PER_SEC.ordinal()] = s.imagesPerSec();
        v[SeriesMetric.REJECTED.ordinal()] = s.rejected();
        return v;
    }

    public static Serde<SeriesBucket> serde() {
        return Serdes.serdeFrom(
                (topic, b) -> {
                    ByteBuffer out = ByteBuffer.allocate(BYTES)
                            .putLong(b.firstStep)
                            .putLong(b.lastStep)
                            .putLong(b.steps)
                            .putLong(b.samples)
                            .putDouble(b.lossSum)
                            .putLong(b.correct1)
                            .putLong(b.correct5)
                            .putDouble(b.lrSum)
                            .putDouble(b.imagesPerSecSum)
                            .putDouble(b.rejectedSum);
                    for (int i = 0; i < METRICS; i++) {
                        out.putDouble(b.min[i]).putDouble(b.max[i]);
                    }
                    return out.array();
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    ByteBuffer in = ByteBuffer.wrap(bytes);
                    long first = in.getLong();
                    long last = in.getLong();
                    long steps = in.getLong();
                    long samples = in.getLong();
                    double loss = in.getDouble();
                    long c1 = in.getLong();
                    long c5 = in.getLong();
                    double lr = in.getDouble();
                    double ips = in.getDouble();
                    double rejected = in.getDouble();
                    double[] lo = new double[METRICS];
                    double[] hi = new double[METRICS];
                    for (int i = 0; i < METRICS; i++) {
                        lo[i] = in.getDouble();
                        hi[i] = in.getDouble();
                    }
                    return new SeriesBucket(first, last, steps, samples, loss, c1, c5, lr, ips, rejected, lo, hi);
                });
    }
}
