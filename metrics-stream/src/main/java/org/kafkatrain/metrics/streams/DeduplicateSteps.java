package org.kafkatrain.metrics.streams;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.kafkatrain.contracts.TrainingStep;

import java.time.Duration;

/**
 * Drops step events already seen (a resumed trainer re-emits the steps after its checkpoint; a producer retry may
 * send twice), remembering event ids for the store's retention. Events that make no sense never get here: the
 * {@link StepDeserializer} refuses them.
 */
final class DeduplicateSteps implements FixedKeyProcessor<String, TrainingStep, TrainingStep> {
    static final String STORE = "step-dedup";

    private final long retentionMillis;
    private FixedKeyProcessorContext<String, TrainingStep> context;
    private WindowStore<String, Long> seen;

    DeduplicateSteps(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, TrainingStep> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, TrainingStep> record) {
        String id = StreamKeys.eventId(record.value());
        long ts = record.timestamp();
        try (WindowStoreIterator<Long> it = seen.fetch(id, ts - retentionMillis, ts + retentionMillis)) {
            if (it.hasNext()) {
                StreamCounters.DUPLICATES.incrementAndGet();
                return;
            }
        }
        seen.put(id, ts, ts);
        context.forward(record);
    }
}
