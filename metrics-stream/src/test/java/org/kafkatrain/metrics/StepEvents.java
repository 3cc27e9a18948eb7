package org.kafkatrain.metrics;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.kafkatrain.contracts.EventSerdes;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.TrainingStep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Sends step events to and reads metrics from the real broker, for the integration tests. */
public final class StepEvents {
    private StepEvents() {}

    /** A complete epoch of {@code steps} train steps of 8 samples each plus its epoch_end, event times from {@code t0}. */
    public static List<TrainingStep> epoch(String run, int epoch, int steps, long t0) {
        List<TrainingStep> events = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            long step = (long) epoch * steps + i + 1;
            events.add(new TrainingStep(
                    1,
                    TrainingStep.STEP,
                    run,
                    TrainingStep.TRAIN,
                    epoch,
                    step,
                    i,
                    8,
                    2.0 / (1 + step),
                    4,
                    7,
                    1e-3,
                    30,
                    0,
                    t0 + step * 250,
                    null));
        }
        events.add(new TrainingStep(
                1,
                TrainingStep.EPOCH_END,
                run,
                TrainingStep.TRAIN,
                epoch,
                (long) (epoch + 1) * steps,
                0,
                8 * steps,
                0,
                0,
                0,
                1e-3,
                0,
                0,
                t0 + (long) (epoch + 1) * steps * 250 + 1,
                null));
        return events;
    }

    public static void send(String bootstrap, String topic, List<TrainingStep> events) {
        try (KafkaProducer<String, TrainingStep> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                EventSerdes.trainingStep().serializer())) {
            for (TrainingStep e : events) {
                producer.send(new ProducerRecord<>(topic, e.runId(), e));
            }
        }
    }

    /** Metrics of {@code run} matching {@code filter} committed on {@code topic}, read from the beginning for up to {@code wait}. */
    public static List<TrainingMetrics> read(
            String bootstrap, String topic, String run, Predicate<TrainingMetrics> filter, int atLeast, Duration wait) {
        List<TrainingMetrics> out = new ArrayList<>();
        try (KafkaConsumer<String, TrainingMetrics> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                        false),
                new StringDeserializer(),
                EventSerdes.trainingMetrics().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + wait.toMillis();
            while (System.currentTimeMillis() < deadline && out.size() < atLeast) {
                for (ConsumerRecord<String, TrainingMetrics> r : consumer.poll(Duration.ofMillis(300))) {
                    if (run.equals(r.key()) && filter.test(r.value())) {
                        out.add(r.value());
                    }
                }
            }
            // Keep reading a little longer: a duplicate would show up now.
            long settle = System.currentTimeMillis() + 2_000;
            while (System.currentTimeMillis() < settle) {
                for (ConsumerRecord<String, TrainingMetrics> r : consumer.poll(Duration.ofMillis(300))) {
                    if (run.equals(r.key()) && filter.test(r.value())) {
                        out.add(r.value());
                    }
                }
            }
        }
        return out;
    }
}
