package org.kafkatrain.metrics.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A run's series of one metric, as {@code GET /runs/{id}/series} returns it.
 *
 * @param resolution steps per bucket of the level the points come from (1: every step)
 */
public record Series(String runId, String split, String metric, long resolution, List<Point> points) {
    /** One bucket: its steps {@code fromStep..step}, the metric's mean over them and its range. */
    public record Point(long step, long fromStep, long steps, double value, double min, double max) {
        static Point of(SeriesBucket b, SeriesMetric metric) {
            return new Point(b.lastStep(), b.firstStep(), b.steps(), b.mean(metric), b.min(metric), b.max(metric));
        }
    }

    /**
     * At most {@code points} points from buckets in step order: adjacent buckets merged in equal runs when there are
     * more (the figures merge exactly, see {@link SeriesBucket}).
     */
    public static Series of(
            String runId, String split, SeriesMetric metric, long resolution, List<SeriesBucket> buckets, int points) {
        int per = (buckets.size() + points - 1) / Math.max(1, points);
        List<SeriesBucket> merged = buckets;
        if (per > 1) {
            merged = new ArrayList<>();
            for (int i = 0; i < buckets.size(); i += per) {
                SeriesBucket b = buckets.get(i);
                for (int j = i + 1; j < Math.min(buckets.size(), i + per); j++) {
                    b = b.merge(buckets.get(j));
                }
                merged.add(b);
            }
        }
        return new Series(
                runId,
                split,
                metric.id(),
                resolution * Math.max(1, per),
                merged.stream().map(b -> Point.of(b, metric)).toList());
    }
}
