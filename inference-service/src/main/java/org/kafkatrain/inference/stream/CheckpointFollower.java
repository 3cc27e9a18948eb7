package org.kafkatrain.inference.stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.inference.model.ModelRegistry;

/**
 * Hears of every complete checkpoint on {@code training.checkpoints} and hands it to the registry, which swaps in
 * the newer ones of the runs it serves. An unreadable event is logged and skipped: a missed announcement only
 * delays a swap ({@code latest.json} stays the source of truth at the next load).
 */
@ApplicationScoped
public class CheckpointFollower {
    private static final Logger LOG = Logger.getLogger(CheckpointFollower.class);

    @Inject
    ModelRegistry registry;

    @Incoming("training-checkpoints")
    public void follow(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone: the run was removed
        }
        try {
            registry.offer(EventJson.readCheckpoint(record.value()));
        } catch (InvalidRecordException e) {
            LOG.warnf(
                    "skipping checkpoint event at %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }
}
