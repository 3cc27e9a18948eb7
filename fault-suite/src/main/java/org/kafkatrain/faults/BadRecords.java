package org.kafkatrain.faults;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.contracts.InvalidRecordException.Problem;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.testing.FashionMnist;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Records a careless or hostile producer writes onto a train topic with a plain {@link KafkaProducer}: each bad one
 * with the problem the trainer must dead-letter it for, and valid single images (one with a null key) that it must
 * train. The topic's size limit is raised first, as an operator who allows big records would, so that the 5 MB
 * value reaches the trainer instead of being refused by the broker.
 */
final class BadRecords {
    static final int LARGE_VALUE = 5 * 1024 * 1024;

    /** What was written: where, and the problem expected for it (null: a valid sample). */
    record Sent(String what, int partition, long offset, Problem expected) {}

    private BadRecords() {}

    static List<Sent> publish(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.TOPIC, topic),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(8 << 20)),
                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
        FashionMnist train = FashionMnist.load("train");
        byte[] png = ImageFiles.encode(train.pixels(59_999), 28, 28, 1, "png");
        byte[] jpeg = ImageFiles.encode(train.pixels(59_998), 28, 28, 1, "jpg");
        byte[] garbage = new byte[3000];
        new Random(3).nextBytes(garbage);
        byte[] badCrc = png.clone();
        badCrc[40] ^= 0x5a;

        List<Sent> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        8 << 20,
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            send(
                    producer,
                    topic,
                    sent,
                    "garbage as image/png",
                    "bad-1",
                    garbage,
                    "image/png",
                    "1",
                    Problem.CORRUPT_IMAGE);
            send(
                    producer,
                    topic,
                    sent,
                    "truncated PNG",
                    "bad-2",
                    Arrays.copyOf(png, png.length / 2),
                    "image/png",
                    "2",
                    Problem.CORRUPT_IMAGE);
            send(producer, topic, sent, "PNG with a bad CRC", "bad-3", badCrc, "image/png", "3", Problem.CORRUPT_IMAGE);
            send(
                    producer,
                    topic,
                    sent,
                    "JPEG with label header 'abc'",
                    "bad-4",
                    jpeg,
                    "image/jpeg",
                    "abc",
                    Problem.BAD_LABEL);
            send(
                    producer,
                    topic,
                    sent,
                    "label 99 of 10 classes",
                    "bad-5",
                    png,
                    "image/png",
                    "99",
                    Problem.LABEL_OUT_OF_RANGE);
            send(producer, topic, sent, "PNG without a label", "bad-6", png, "image/png", null, Problem.MISSING_LABEL);
            send(
                    producer,
                    topic,
                    sent,
                    "content-type text/plain",
                    "bad-7",
                    "a shirt".getBytes(StandardCharsets.UTF_8),
                    "text/plain",
                    "6",
                    Problem.UNKNOWN_CONTENT_TYPE);
            send(producer, topic, sent, "no content-type", "bad-8", png, null, "6", Problem.MISSING_CONTENT_TYPE);
            send(
                    producer,
                    topic,
                    sent,
                    "5 MB value",
                    "bad-9",
                    new byte[LARGE_VALUE],
                    "image/png",
                    "1",
                    Problem.RECORD_TOO_LARGE);
            send(producer, topic, sent, "empty value", "bad-10", new byte[0], "image/png", "1", Problem.EMPTY_VALUE);
            send(producer, topic, sent, "null value (tombstone)", "bad-11", null, null, null, Problem.EMPTY_VALUE);
            send(producer, topic, sent, "garbage, null key", null, garbage, "image/png", "4", Problem.CORRUPT_IMAGE);
            send(
                    producer,
                    topic,
                    sent,
                    "valid PNG, null key",
                    null,
                    png,
                    "image/png",
                    Integer.toString(train.label(59_999)),
                    null);
            send(
                    producer,
                    topic,
                    sent,
                    "valid JPEG",
                    "good-jpeg",
                    jpeg,
                    "image/jpeg",
                    Integer.toString(train.label(59_998)),
                    null);
        }
        return sent;
    }

    private static void send(
            KafkaProducer<String, byte[]> producer,
            String topic,
            List<Sent> sent,
            String what,
            String key,
            byte[] value,
            String contentType,
            String label,
            Problem expected)
            throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        if (contentType != null) {
            record.headers().add(Topics.HEADER_CONTENT_TYPE, contentType.getBytes(StandardCharsets.UTF_8));
        }
        if (label != null) {
            record.headers().add(Topics.HEADER_LABEL, label.getBytes(StandardCharsets.UTF_8));
        }
        RecordMetadata at = producer.send(record).get();
        sent.add(new Sent(what, at.partition(), at.offset(), expected));
    }
}
