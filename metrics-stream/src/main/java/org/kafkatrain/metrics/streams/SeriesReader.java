package org.kafkatrain.metrics.streams;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.metrics.model.Series;
import org.kafkatrain.metrics.model.SeriesBucket;
import org.kafkatrain.metrics.model.SeriesMetric;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a series back from the store {@link StepSeries} writes, choosing the resolution per query. */
public final class SeriesReader {
    private SeriesReader() {}

    /**
     * A run's series of one metric over steps {@code from..to}: from the finest level that still holds the start of
     * that range (the recent steps are at full resolution), its buckets merged down to at most {@code points}.
     */
    public static Series read(
            ReadOnlyKeyValueStore<String, SeriesBucket> store,
            String runId,
            String split,
            SeriesMetric metric,
            long from,
            long to,
            int points) {
        int top = TrainingStep.TRAIN.equals(split) ? SeriesLevels.WIDTHS.length - 1 : 0;
        long runStart =
                first(store, runId, split, top).map(SeriesBucket::firstStep).orElse(0L);
        long start = Math.max(from, runStart);
        int level = 0;
        while (level < top
                && !first(store, runId, split, level)
                        .map(b -> b.firstStep() <= start)
                        .orElse(false)) {
            level++;
        }
        return Series.of(
                runId, split, metric, SeriesLevels.WIDTHS[level], range(store, runId, split, level, from, to), points);
    }

    private static List<SeriesBucket> range(
            ReadOnlyKeyValueStore<String, SeriesBucket> store,
            String runId,
            String split,
            int level,
            long from,
            long to) {
        List<SeriesBucket> out = new ArrayList<>();
        try (KeyValueIterator<String, SeriesBucket> it = store.range(
                SeriesLevels.key(runId, split, level, SeriesLevels.index(level, from)),
                SeriesLevels.key(runId, split, level, SeriesLevels.index(level, to)))) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    private static Optional<SeriesBucket> first(
            ReadOnlyKeyValueStore<String, SeriesBucket> store, String runId, String split, int level) {
        try (KeyValueIterator<String, SeriesBucket> it = store.range(
                SeriesLevels.key(runId, split, level, 0), SeriesLevels.key(runId, split, level, Long.MAX_VALUE / 2))) {
            return it.hasNext() ? Optional.of(it.next().value) : Optional.empty();
        }
    }
}
