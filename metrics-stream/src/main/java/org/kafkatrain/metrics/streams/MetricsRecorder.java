package org.kafkatrain.metrics.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.kafkatrain.contracts.TrainingMetrics;

/** Keeps what training.metrics carried queryable: the newest metric of each run, split and kind, and every epoch summary. */
public final class MetricsRecorder implements Processor<String, TrainingMetrics, Void, Void> {
    public static final String LATEST_STORE = "latest-metrics";
    public static final String HISTORY_STORE = "epoch-history";

    private KeyValueStore<String, TrainingMetrics> latest;
    private KeyValueStore<String, TrainingMetrics> history;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        latest = context.getStateStore(LATEST_STORE);
        history = context.getStateStore(HISTORY_STORE);
    }

    @Override
    public void process(Record<String, TrainingMetrics> record) {
        TrainingMetrics m = record.value();
        if (m == null) {
            return;
        }
        String key = StreamKeys.latest(m.runId(), m.split(), m.kind());
        TrainingMetrics previous = latest.get(key);
        if (previous == null || previous.windowEnd() <= m.windowEnd()) {
            latest.put(key, m);
        }
        if (TrainingMetrics.EPOCH.equals(m.kind())) {
            history.put(StreamKeys.runSplitEpoch(m.runId(), m.split(), m.epoch()), m);
        }
    }
}
