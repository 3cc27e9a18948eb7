package org.kafkatrain.metrics.streams;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.KafkaTopics;
import org.kafkatrain.contracts.security.KafkaSecurity;
import org.kafkatrain.metrics.config.MetricsConfig;

import java.util.List;
import java.util.Map;

/**
 * Creates the topics the topology reads when they do not exist yet (a fresh cluster, before the trainer's first
 * event): Kafka Streams refuses to start on a missing source topic.
 */
@ApplicationScoped
public class TopicsInitializer {
    private static final Logger LOG = Logger.getLogger(TopicsInitializer.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "kafka-streams.replication.factor")
    short replicationFactor;

    @Inject
    MetricsConfig config;

    /** Quarkus's {@code kafka.*} and {@code KAFKA_*} configuration, for the security settings of a secured cluster. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    void ensure(List<String> topics) {
        try (Admin admin = Admin.create(KafkaSecurity.with(
                kafkaConfig, Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)))) {
            int partitions = config.topics().partitions();
            List<String> created = KafkaTopics.createMissing(
                    admin,
                    topics.stream()
                            .map(topic -> new NewTopic(topic, partitions, replicationFactor))
                            .toList());
            created.forEach(topic -> LOG.infof(
                    "created topic %s (%d partitions, replication %d)", topic, partitions, replicationFactor));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot create topics " + topics + " on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }
}
