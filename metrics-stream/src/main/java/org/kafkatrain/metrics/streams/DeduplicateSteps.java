package org.kafkatrain.metrics.streams;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.TrainingStep;

import java.time.Duration;
import java.util.Set;

/**
 * Drops step events already seen (a resumed trainer re-emits the steps after its checkpoint; a producer retry may
 * send twice), remembering event ids for the store's retention, and drops events that parse but make no sense
 * (blank run id, unknown split or type), logging and counting them.
 */
final class DeduplicateSteps implements FixedKeyProcessor<String, TrainingStep, TrainingStep> {
    static final String STORE = "step-dedup";
    private static final Logger LOG = Logger.getLogger(DeduplicateSteps.class);
    private static final Set<String> SPLITS = Set.of(TrainingStep.TRAIN, TrainingStep.VAL);
    private static final Set<String> TYPES = Set.of(TrainingStep.STEP, TrainingStep.EPOCH_END);

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
        TrainingStep step = record.value();
        if (step == null
                || step.runId() == null
                || step.runId().isBlank()
                || !SPLITS.contains(step.split())
                || !TYPES.contains(step.type())
                || step.samples() < 0) {
            StreamCounters.INVALID.incrementAndGet();
            LOG.warnf(
                    "dropped invalid step event at %s: %s",
                    context.recordMetadata()
                            .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                            .orElse("?"),
                    step);
            return;
        }
        String id = StreamKeys.eventId(step);
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
