package org.kafkatrain.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.ManifestLookup;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** Reads dataset manifests back from the datasets topic, on the cluster the producer writes to. */
@ApplicationScoped
public class DatasetManifests {
    @Inject
    ImageProducer producer;

    public Optional<DatasetManifest> find(String topic, String dataset) throws IOException {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                producer.clientConfig(Map.of(
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                        false,
                        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        10_000)),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            return ManifestLookup.find(consumer, topic, dataset);
        } catch (InvalidRecordException e) {
            throw new IOException("manifest of " + dataset + " is unreadable: " + e.getMessage(), e);
        } catch (KafkaException e) {
            throw new IOException("Kafka unavailable: " + e.getMessage(), e);
        }
    }
}
