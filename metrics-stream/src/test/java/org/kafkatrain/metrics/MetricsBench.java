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
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.kafkatrain.contracts.EventSerdes;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.TrainingStep;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Benchmark (prints figures; not a test): step events per second sustained through the topology (exactly_once_v2)
 * on the real broker, and the latency from a step's timestamp to the arrival of the last-N metric it completes,
 * p50 and p99, in one run.
 *
 * usage: MetricsBench [events=60000] [runs=20]   (env: KAFKA_BOOTSTRAP_SERVERS)
 */
public final class MetricsBench {
    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        MetricsSettings settings = MetricsSettings.defaults();

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-bench-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("metrics-bench").toString());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 60_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "latest");
        KafkaStreams streams = new KafkaStreams(TopologyProducer.build(settings), props);
        streams.start();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            Thread.sleep(100);
        }
        Thread.sleep(2_000);

        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long expected = (long) runs * ((events / runs) / settings.lastNEvery());
        long[] lastArrival = {0};
        Thread reader = new Thread(() -> read(bootstrap, prefix, expected, latencies, lastArrival));
        reader.start();
        Thread.sleep(1_000);

        long t0 = System.currentTimeMillis();
        try (KafkaProducer<String, TrainingStep> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), EventSerdes.trainingStep().serializer())) {
            for (int i = 0; i < events; i++) {
                String run = prefix + (i % runs);
                long step = i / runs + 1;
                producer.send(new ProducerRecord<>(settings.stepsTopic(), run, new TrainingStep(1, TrainingStep.STEP, run, TrainingStep.TRAIN,
                        0, step, (int) step, 32, 1.0, 10, 20, 1e-3, 100, 0, System.currentTimeMillis())));
            }
        }
        long sent = System.currentTimeMillis();
        reader.join(300_000);
        streams.close(Duration.ofSeconds(30));

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        double seconds = (lastArrival[0] - t0) / 1000.0;
        System.out.printf("%d step events from %d runs through the topology (exactly_once_v2, commit.interval.ms=100) on %s%n", events, runs, bootstrap);
        System.out.printf("producer send rate:   %8.0f events/s%n", events / ((sent - t0) / 1000.0));
        System.out.printf("sustained throughput: %8.0f events/s (first send to last metric: %.1f s)%n", events / seconds, seconds);
        System.out.printf("last_n metrics received: %d of %d%n", sorted.size(), expected);
        if (!sorted.isEmpty()) {
            System.out.printf("latency step timestamp -> metric: p50 %d ms, p99 %d ms, max %d ms%n", sorted.get(sorted.size() / 2),
                    sorted.get((int) (sorted.size() * 0.99)), sorted.get(sorted.size() - 1));
        }
        System.exit(0);
    }

    private static void read(String bootstrap, String prefix, long expected, List<Long> latencies, long[] lastArrival) {
        try (KafkaConsumer<String, TrainingMetrics> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), EventSerdes.trainingMetrics().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("training.metrics").stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            long deadline = System.currentTimeMillis() + 300_000;
            while (latencies.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, TrainingMetrics> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.key().startsWith(prefix) && r.value().kind().equals(TrainingMetrics.LAST_N)) {
                        long now = System.currentTimeMillis();
                        latencies.add(now - r.value().windowEnd());
                        lastArrival[0] = now;
                    }
                }
            }
        }
    }
}
