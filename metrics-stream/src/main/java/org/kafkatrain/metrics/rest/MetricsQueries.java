package org.kafkatrain.metrics.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.metrics.model.Series;
import org.kafkatrain.metrics.model.SeriesMetric;
import org.kafkatrain.metrics.streams.MetricsRecorder;
import org.kafkatrain.metrics.streams.SeriesLevels;
import org.kafkatrain.metrics.streams.SeriesReader;
import org.kafkatrain.metrics.streams.StreamKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Interactive queries over this instance's stores. Keys start with the run id, so one run is a prefix scan. With
 * several instances each holds the runs of its partitions; this API answers for the local ones.
 */
@ApplicationScoped
public class MetricsQueries {
    @Inject
    KafkaStreams streams;

    public List<String> runs() {
        TreeSet<String> runs = new TreeSet<>();
        try (KeyValueIterator<String, TrainingMetrics> it =
                this.<TrainingMetrics>store(MetricsRecorder.LATEST_STORE).all()) {
            it.forEachRemaining(kv -> runs.add(StreamKeys.runOf(kv.key)));
        }
        return List.copyOf(runs);
    }

    /** The newest metric of each split and kind for a run. */
    public List<TrainingMetrics> current(String runId) {
        return scan(MetricsRecorder.LATEST_STORE, runId);
    }

    /** Every epoch summary of a run, train and val, in epoch order. */
    public List<TrainingMetrics> epochs(String runId) {
        List<TrainingMetrics> all = scan(MetricsRecorder.HISTORY_STORE, runId);
        all.sort(java.util.Comparator.comparingInt(TrainingMetrics::epoch).thenComparing(TrainingMetrics::split));
        return all;
    }

    /** A run's series of one metric over steps {@code from..to}, at most {@code points} points ({@link SeriesReader}). */
    public Series series(String runId, String split, SeriesMetric metric, long from, long to, int points) {
        return SeriesReader.read(store(SeriesLevels.STORE), runId, split, metric, from, to, points);
    }

    private List<TrainingMetrics> scan(String storeName, String runId) {
        List<TrainingMetrics> out = new ArrayList<>();
        try (KeyValueIterator<String, TrainingMetrics> it = this.<TrainingMetrics>store(storeName)
                .prefixScan(
                        runId + StreamKeys.SEP,
                        org.apache.kafka.common.serialization.Serdes.String().serializer())) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new StoresNotReadyException("state store " + name + " not queryable yet (" + streams.state() + ")");
        }
    }

    /** Thrown while the stream is (re)balancing or restoring; the API answers 503. */
    public static class StoresNotReadyException extends RuntimeException {
        StoresNotReadyException(String message) {
            super(message);
        }
    }
}
