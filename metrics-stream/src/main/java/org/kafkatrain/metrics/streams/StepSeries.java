package org.kafkatrain.metrics.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.metrics.model.SeriesBucket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the step history of each run ({@link SeriesLevels}): every train step into one bucket per level, the
 * oldest bucket of a level dropped when a new one starts beyond {@code retain}; each evaluation (its batches share
 * the step of the weights they evaluated) into one full-resolution bucket of the val series, kept for the run's
 * life (one per evaluation). The store has a changelog, so the history survives a restart.
 */
final class StepSeries implements Processor<String, TrainingStep, Void, Void> {
    private final int retain;
    /** The newest index written per run, split and level; unknown after a restart, then found by a scan. */
    private final Map<String, Long> newest = new HashMap<>();

    private KeyValueStore<String, SeriesBucket> store;

    StepSeries(int retain) {
        this.retain = retain;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(SeriesLevels.STORE);
    }

    @Override
    public void process(Record<String, TrainingStep> record) {
        TrainingStep step = record.value();
        if (step.isEpochEnd()) {
            return;
        }
        SeriesBucket point = SeriesBucket.of(step);
        if (!TrainingStep.TRAIN.equals(step.split())) {
            add(SeriesLevels.key(step.runId(), step.split(), 0, SeriesLevels.index(0, step.step())), point);
            return;
        }
        for (int level = 0; level < SeriesLevels.WIDTHS.length; level++) {
            long index = SeriesLevels.index(level, step.step());
            add(SeriesLevels.key(step.runId(), step.split(), level, index), point);
            evict(step.runId(), step.split(), level, index);
        }
    }

    private void add(String key, SeriesBucket point) {
        SeriesBucket bucket = store.get(key);
        store.put(key, bucket == null ? point : bucket.merge(point));
    }

    private void evict(String runId, String split, int level, long index) {
        String head = SeriesLevels.key(runId, split, level, 0);
        Long previous = newest.get(head);
        if (previous != null && index <= previous) {
            return;
        }
        newest.put(head, index);
        long oldestKept = index - retain + 1;
        if (oldestKept <= 0) {
            return;
        }
        if (previous != null && previous == index - 1) {
            store.delete(SeriesLevels.key(runId, split, level, oldestKept - 1));
            return;
        }
        // a gap, or the first step since a restart: drop whatever lies below the kept range
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, SeriesBucket> it =
                store.range(head, SeriesLevels.key(runId, split, level, oldestKept - 1))) {
            it.forEachRemaining(kv -> old.add(kv.key));
        }
        old.forEach(store::delete);
    }
}
