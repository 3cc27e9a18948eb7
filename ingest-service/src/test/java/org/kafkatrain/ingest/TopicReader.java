package org.kafkatrain.ingest;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.RecordLimits;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a topic back with a plain KafkaConsumer, from its beginning to its current end, as any client would. */
final class TopicReader {
    private TopicReader() {
    }

    static List<ConsumerRecord<String, byte[]>> records(String bootstrap, String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return out;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
            }
        }
        return out;
    }

    static List<Sample> samples(String bootstrap, String topic) throws InvalidRecordException {
        ImageRecordCodec codec = new ImageRecordCodec(RecordLimits.DEFAULT);
        List<Sample> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records(bootstrap, topic)) {
            Header type = r.headers().lastHeader(Topics.HEADER_CONTENT_TYPE);
            out.addAll(codec.decode(new String(type.value(), StandardCharsets.UTF_8), null, null, r.key(), r.value()).samples());
        }
        return out;
    }
}
