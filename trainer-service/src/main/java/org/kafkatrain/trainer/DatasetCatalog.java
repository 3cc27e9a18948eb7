package org.kafkatrain.trainer;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.Topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Looks a dataset's manifest up on the compacted datasets topic (the newest value for its key wins). */
@ApplicationScoped
public class DatasetCatalog {
    @ConfigProperty(name = "trainer.datasets-topic", defaultValue = Topics.DATASETS)
    String topic;

    @jakarta.inject.Inject
    KafkaClients kafka;

    public Optional<DatasetManifest> find(String dataset) throws InvalidRecordException {
        DatasetManifest found = null;
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer("manifest-reader")) {
            List<TopicPartition> partitions = kafka.partitions(consumer, topic);
            if (partitions.isEmpty()) {
                return Optional.empty();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (dataset.equals(r.key())) {
                        found = r.value() == null ? null : EventJson.readManifest(r.value());
                    }
                }
            }
        }
        return Optional.ofNullable(found);
    }
}
