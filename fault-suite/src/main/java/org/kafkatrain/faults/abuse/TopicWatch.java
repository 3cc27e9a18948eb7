package org.kafkatrain.faults.abuse;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.kafkatrain.contracts.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Reads the dead-letter topics and {@code predictions} from their start for as long as the suite runs, so that a
 * case can ask whether its record came back: a dead letter names its origin (topic, partition, offset) in headers
 * that the trainer, metrics-stream and SmallRye's dead-letter queue (inference) all write alike.
 */
final class TopicWatch implements AutoCloseable {
    static final String METRICS_DLQ = "training.steps.dlq";
    static final String PREDICTIONS = Topics.PREDICTIONS;

    /** A dead letter: where it came from, its problem code (the trainer's) and its reason. */
    record DeadLetter(String dlqTopic, String problem, String reason) {
        String describe() {
            String why = reason == null ? "(no reason)" : reason;
            return problem == null || why.startsWith(problem) ? why : problem + ": " + why;
        }

        /** Why this dead letter is not a refusal: none given, or the service ran out of memory on the record. */
        Optional<String> notARefusal() {
            if (reason == null || reason.isBlank()) {
                return Optional.of("dead-lettered without a reason");
            }
            if (reason.contains("Java heap space") || reason.contains("OutOfMemoryError")) {
                return Optional.of("dead-lettered only once the service ran out of heap on it, not refused");
            }
            return Optional.empty();
        }
    }

    private final Map<String, DeadLetter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, String> predictions = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean closed;

    TopicWatch(String bootstrap) throws InterruptedException, ExecutionException {
        List<String> topics = List.of(Topics.IMAGES_TRAIN_DLQ, Topics.IMAGES_INFER_DLQ, METRICS_DLQ, PREDICTIONS);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
                            .all()
                            .get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "abuse-watch-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        4 << 20),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(topics);
        thread = new Thread(this::read, "abuse-topic-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try {
            while (!closed) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(PREDICTIONS)) {
                        if (r.key() != null) {
                            predictions.put(
                                    r.key(), r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8));
                        }
                        continue;
                    }
                    String origin = header(r, Topics.HEADER_ORIGIN_TOPIC);
                    String partition = header(r, Topics.HEADER_ORIGIN_PARTITION);
                    String offset = header(r, Topics.HEADER_ORIGIN_OFFSET);
                    if (origin != null && partition != null && offset != null) {
                        deadLetters.put(
                                key(origin, Integer.parseInt(partition.strip()), Long.parseLong(offset.strip())),
                                new DeadLetter(
                                        r.topic(),
                                        header(r, Topics.HEADER_DEAD_LETTER_PROBLEM),
                                        header(r, Topics.HEADER_DEAD_LETTER_REASON)));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** The dead letter of the record at {@code topic}-{@code partition}@{@code offset}, once it comes. */
    Optional<DeadLetter> awaitDeadLetter(String topic, int partition, long offset, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        String key = key(topic, partition, offset);
        while (System.nanoTime() < deadline) {
            DeadLetter d = deadLetters.get(key);
            if (d != null) {
                return Optional.of(d);
            }
            Thread.sleep(100);
        }
        return Optional.ofNullable(deadLetters.get(key));
    }

    /** Whether the record has a dead letter now. */
    Optional<DeadLetter> deadLetter(String topic, int partition, long offset) {
        return Optional.ofNullable(deadLetters.get(key(topic, partition, offset)));
    }

    /** The prediction event keyed {@code key}, once it comes. */
    Optional<String> awaitPrediction(String key, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            String p = predictions.get(key);
            if (p != null) {
                return Optional.of(p);
            }
            Thread.sleep(100);
        }
        return Optional.ofNullable(predictions.get(key));
    }

    private static String key(String topic, int partition, long offset) {
        return topic + "/" + partition + "@" + offset;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
