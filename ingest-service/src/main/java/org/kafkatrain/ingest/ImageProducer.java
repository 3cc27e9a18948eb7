package org.kafkatrain.ingest;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kafkatrain.contracts.KafkaTopics;
import org.kafkatrain.contracts.security.KafkaSecurity;
import org.kafkatrain.ingest.config.IngestConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The producer of image records, set for no loss and no duplicates: idempotence on, {@code acks=all}, unbounded
 * retries within the delivery timeout; large batches and zstd compression (best on raw pixels, see bench ingest). Also creates the topics it
 * writes when they are missing.
 */
@ApplicationScoped
public class ImageProducer {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    IngestConfig settings;

    /** Quarkus's {@code kafka.*} and {@code KAFKA_*} configuration, for the security settings of a secured cluster. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private KafkaProducer<String, byte[]> producer;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A client configuration for this producer's cluster: {@code settings} plus the address and security settings. */
    public Map<String, Object> clientConfig(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return KafkaSecurity.with(kafkaConfig, config);
    }

    /** Points this producer at another cluster; only before the first connect. */
    public synchronized void useBootstrapServers(String servers) {
        if (producer != null) {
            throw new IllegalStateException("already connected to " + bootstrapServers);
        }
        bootstrapServers = servers;
    }

    /** Fails within the connect timeout, naming the address, when no broker answers. */
    public synchronized void connect() {
        if (producer != null) {
            return;
        }
        try (Admin admin = Admin.create(clientConfig(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                settings.connectTimeoutSeconds() * 1000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                settings.connectTimeoutSeconds() * 1000)))) {
            admin.describeCluster().nodes().get(settings.connectTimeoutSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within "
                    + settings.connectTimeoutSeconds() + " s (is the stack up? ./kafka-train stack start)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.connectTimeoutSeconds() * 1000L);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.producer().compression());
        config.put(ProducerConfig.LINGER_MS_CONFIG, settings.producer().lingerMs());
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.producer().batchBytes());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, settings.maxRequestBytes());
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        producer = new KafkaProducer<>(clientConfig(config), new StringSerializer(), new ByteArraySerializer());
    }

    public void ensureTopics(List<String> imageTopics, String datasetsTopic, int partitions) {
        try (Admin admin = Admin.create(clientConfig(Map.of()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : imageTopics) {
                topics.add(new NewTopic(topic, partitions, settings.topic().replicationFactor())
                        .configs(Map.of(
                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(settings.maxRequestBytes()))));
            }
            topics.add(new NewTopic(datasetsTopic, 1, settings.topic().replicationFactor())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            KafkaTopics.createMissing(admin, topics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list or create topics: " + e.getMessage(), e);
        }
    }

    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        connect();
        return producer.send(record);
    }

    public void flush() {
        if (producer != null) {
            producer.flush();
        }
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
