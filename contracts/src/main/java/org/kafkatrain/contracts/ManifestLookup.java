package org.kafkatrain.contracts;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds a dataset's manifest on the compacted datasets topic: the newest value for its key wins. */
public final class ManifestLookup {
    private ManifestLookup() {}

    /** Reads the topic from its beginning to its current end with the given (assign-only) consumer. */
    public static Optional<DatasetManifest> find(Consumer<String, byte[]> consumer, String topic, String dataset)
            throws InvalidRecordException {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
        if (infos == null || infos.isEmpty()) {
            return Optional.empty();
        }
        List<TopicPartition> partitions = infos.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        byte[] newest = null;
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (dataset.equals(r.key())) {
                    newest = r.value();
                }
            }
        }
        return newest == null ? Optional.empty() : Optional.of(EventJson.readManifest(newest));
    }
}
