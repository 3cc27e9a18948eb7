package org.kafkatrain.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kafkatrain.contracts.proto.PixelEncoding;
import org.kafkatrain.testing.LocalStack;
import org.kafkatrain.testing.LocalStackExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Both record encodings through the local stack's real Kafka broker, decoded back with the contract codec. */
@ExtendWith(LocalStackExtension.class)
class ImageBatchBrokerIT {

    @Test
    void batchesAndSingleImagesRoundTripThroughTheBroker() throws Exception {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrapServers();
        String topic = "it.images." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        List<Sample> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int r = 0; r < 5; r++) {
                List<Sample> batch = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    batch.add(TestImages.sample("s-" + r + "-" + i, (r + i) % 10, 28, 28, 1, r * 100L + i));
                }
                sent.addAll(batch);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                        topic, "batch-" + r, ImageRecordCodec.encodeBatch("it", batch, PixelEncoding.RAW_U8_HWC));
                record.headers()
                        .add(
                                Topics.HEADER_CONTENT_TYPE,
                                ImageRecordCodec.BATCH_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
            }
            Sample single = TestImages.sample("single", 4, 32, 32, 3, 9);
            sent.add(single);
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(topic, "single", ImageFiles.encode(single.pixels(), 32, 32, 3, "png"));
            record.headers().add(Topics.HEADER_CONTENT_TYPE, ImageRecordCodec.PNG.getBytes(StandardCharsets.UTF_8));
            record.headers().add(Topics.HEADER_LABEL, "4".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }

        ImageRecordCodec codec = new ImageRecordCodec(RecordLimits.DEFAULT.withNumClasses(10));
        List<Sample> received = new ArrayList<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.size() < sent.size() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    received.addAll(codec.decode(
                                    header(r, Topics.HEADER_CONTENT_TYPE),
                                    header(r, Topics.HEADER_LABEL),
                                    null,
                                    r.topic() + "-" + r.partition() + "@" + r.offset(),
                                    r.value())
                            .samples());
                }
            }
        }
        System.out.printf("[kafka] %d images in 6 records through %s topic %s%n", received.size(), bootstrap, topic);
        assertThat(received).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i).label()).isEqualTo(sent.get(i).label());
            assertThat(received.get(i).pixels()).isEqualTo(sent.get(i).pixels());
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
