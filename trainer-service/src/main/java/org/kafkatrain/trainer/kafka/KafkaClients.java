package org.kafkatrain.trainer.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kafkatrain.contracts.security.KafkaSecurity;
import org.kafkatrain.trainer.config.TrainerConfig;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain consumers for epoch replay. Offsets live in checkpoints, not in a consumer group (KafkaConsumer javadoc,
 * "Storing Offsets Outside Kafka"), so these consumers use assign/seek and never commit.
 */
@ApplicationScoped
public class KafkaClients {
    private final String bootstrapServers;
    private final int maxPollRecords;
    private final Map<String, Object> security;

    /** @param kafkaConfig Quarkus's {@code kafka.*} and {@code KAFKA_*} configuration, for a secured cluster's settings */
    @Inject
    public KafkaClients(
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            TrainerConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this(bootstrapServers, config.consumer().maxPollRecords(), KafkaSecurity.of(kafkaConfig));
    }

    /** For tools that run without the container (benchmarks). */
    public KafkaClients(String bootstrapServers, int maxPollRecords, Map<String, Object> security) {
        this.bootstrapServers = bootstrapServers;
        this.maxPollRecords = maxPollRecords;
        this.security = Map.copyOf(security);
    }

    public KafkaConsumer<String, byte[]> consumer(String clientId) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "trainer-" + clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Never move a position by itself: an offset retention deleted must fail the epoch, not skip to the end.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        // Looking a topic up must not create it: a typo in a topic name should fail, not train on nothing.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public Admin admin() {
        Map<String, Object> config = new HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(config);
    }

    /** Partitions of {@code topic} sorted by number, or an empty list when the topic does not exist. */
    public List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
        if (infos == null) {
            return List.of();
        }
        return infos.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }
}
