package org.kafkatrain.trainer.kafka;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.CheckpointEvent;
import org.kafkatrain.contracts.KafkaTopics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Announces complete checkpoints on the {@code training-checkpoints} channel (the compacted topic
 * {@code training.checkpoints}), keyed by run id. Called only after {@code latest.json} names the checkpoint. Like
 * step events, an announcement never stops training: while the broker is away it waits in a bounded buffer, and one
 * that cannot be delivered is logged; {@code latest.json} stays the source of truth, which a consumer reads at start.
 */
@ApplicationScoped
public class CheckpointEventPublisher {
    private static final Logger LOG = Logger.getLogger(CheckpointEventPublisher.class);

    @Inject
    @Channel("training-checkpoints")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1_000)
    Emitter<CheckpointEvent> emitter;

    @Inject
    KafkaClients kafka;

    @ConfigProperty(name = "mp.messaging.outgoing.training-checkpoints.topic")
    String topic;

    /**
     * Compaction keeps each run's newest event. The broker's automatic topic creation would not set it, so the topic
     * is created here, or made compacted if a producer's first send created it with the broker's defaults.
     */
    void createTopic(@Observes StartupEvent event) {
        try (Admin admin = kafka.admin()) {
            KafkaTopics.createMissing(
                            admin,
                            List.of(new NewTopic(topic, 1, (short) -1)
                                    .configs(Map.of(
                                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .forEach(t -> LOG.infof("created compacted topic %s", t));
            if (KafkaTopics.makeCompacted(admin, topic)) {
                LOG.warnf("topic %s was not compacted (created with the broker's defaults): it is now", topic);
            }
        } catch (Exception e) {
            LOG.warnf(
                    "could not create the compacted topic %s (%s); create it before the first checkpoint"
                            + " (the chart's setup job does)",
                    topic, e.getMessage());
        }
    }

    public void publish(CheckpointEvent checkpoint) {
        OutgoingKafkaRecordMetadata<String> key = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(checkpoint.runId())
                .build();
        try {
            emitter.send(Message.of(checkpoint)
                    .addMetadata(key)
                    .withAck(() -> CompletableFuture.completedFuture(null))
                    .withNack(e -> {
                        notDelivered(checkpoint, e);
                        return CompletableFuture.completedFuture(null);
                    }));
        } catch (RuntimeException e) { // buffer full, or the channel failed: SmallRye throws from send
            notDelivered(checkpoint, e);
        }
    }

    private static void notDelivered(CheckpointEvent checkpoint, Throwable why) {
        LOG.errorf(
                "checkpoint event for %s not delivered (latest.json names it all the same): %s",
                checkpoint.object(), why.getMessage());
    }
}
