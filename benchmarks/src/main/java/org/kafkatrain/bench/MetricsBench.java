package org.kafkatrain.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.kafkatrain.contracts.bench.BenchFigure;
import org.kafkatrain.contracts.bench.BenchResults;
import org.kafkatrain.metrics.streams.MetricsSettings;
import org.kafkatrain.metrics.streams.TopologyProducer;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Benchmark (prints figures; not a test), in one run on the real broker: step events per second the topology
 * (exactly_once_v2) sustains under a burst, and, at a steady rate inside that capacity, the latency from a step's
 * timestamp to the arrival of the last-N metric it completes, p50 and p99.
 *
 * usage: MetricsBench [events=60000] [runs=20] [steady-rate=100] [steady-events=3000]   (env: KAFKA_BOOTSTRAP_SERVERS)
 */
public final class MetricsBench {
    private MetricsBench() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int paced = args.length > 3 ? Integer.parseInt(args[3]) : 3000;
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        MetricsSettings d = MetricsSettings.defaults();
        // Topics of its own: nothing else writes to what it measures.
        MetricsSettings settings = new MetricsSettings(
                prefix + "steps",
                prefix + "metrics",
                d.windowSize(),
                d.windowAdvance(),
                d.grace(),
                d.lastN(),
                d.lastNEvery(),
                d.dedupRetention(),
                d.seriesRetain());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic(settings.stepsTopic(), 1, (short) 1),
                            new NewTopic(settings.metricsTopic(), 1, (short) 1)))
                    .all()
                    .get();
        }

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-bench-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory("metrics-bench").toString());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 60_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "latest");
        KafkaStreams streams = new KafkaStreams(TopologyProducer.build(settings), props);
        streams.start();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            Thread.sleep(100);
        }
        Thread.sleep(2_000);

        // Phase 1: a burst far above capacity; throughput = events / (first send .. last metric).
        Phase burst = run(bootstrap, prefix + "burst-", settings, events, runs, 0);
        // Phase 2: a steady rate well inside capacity, as trainers produce; latency = metric arrival - step timestamp.
        Phase steady = run(bootstrap, prefix + "steady-", settings, paced, runs, rate);
        streams.close(Duration.ofSeconds(30));

        System.out.printf(
                "%nstep events through the topology (exactly_once_v2, commit.interval.ms=100, dedup, windows, last-N, epochs) on %s%n",
                bootstrap);
        System.out.printf(
                "burst of %d events from %d runs: sustained %.0f events/s (producer sent %.0f/s; %d of %d last_n metrics)%n",
                events,
                runs,
                burst.throughput(),
                burst.sendRate(),
                burst.latencies().size(),
                burst.expected());
        System.out.printf(
                "steady %d events/s for %d events: latency step timestamp -> metric p50 %d ms, p99 %d ms, max %d ms (%d metrics)%n",
                rate,
                paced,
                steady.percentile(0.5),
                steady.percentile(0.99),
                steady.percentile(1.0),
                steady.latencies().size());
        BenchResults results = BenchResults.fromEnvironment();
        results.add(BenchFigure.of(
                "metrics", "burst of " + events + " step events: sustained", burst.throughput(), "events/s"));
        String steadyRate = "steady " + rate + " events/s: latency step -> metric ";
        results.add(BenchFigure.of("metrics", steadyRate + "p50", steady.percentile(0.5), "ms"));
        results.add(BenchFigure.of("metrics", steadyRate + "p99", steady.percentile(0.99), "ms"));
        System.exit(0);
    }

    private record Phase(List<Long> latencies, long expected, double throughput, double sendRate) {
        long percentile(double q) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(sorted.size() * q)));
        }
    }

    /** Sends {@code events} step events (at {@code rate} per second, 0 = as fast as possible) and collects the last_n metrics. */
    private static Phase run(String bootstrap, String prefix, MetricsSettings settings, int events, int runs, int rate)
            throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long expected = (long) runs * ((events / runs) / settings.lastNEvery());
        long[] lastArrival = {0};
        Thread reader =
                new Thread(() -> read(bootstrap, settings.metricsTopic(), prefix, expected, latencies, lastArrival));
        reader.start();
        Thread.sleep(1_000);
        long t0 = System.currentTimeMillis();
        try (KafkaProducer<String, TrainingStep> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                EventSerdes.trainingStep().serializer())) {
            for (int i = 0; i < events; i++) {
                if (rate > 0) {
                    long due = t0 + i * 1000L / rate;
                    long wait = due - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                }
                String run = prefix + (i % runs);
                long step = i / runs + 1;
                producer.send(new ProducerRecord<>(
                        settings.stepsTopic(),
                        run,
                        new TrainingStep(
                                1,
                                TrainingStep.STEP,
                                run,
                                TrainingStep.TRAIN,
                                0,
                                step,
                                (int) step,
                                32,
                                1.0,
                                10,
                                20,
                                1e-3,
                                100,
                                0,
                                System.currentTimeMillis(),
                                null)));
                if (rate > 0) {
                    producer.flush();
                }
            }
        }
        long sent = System.currentTimeMillis();
        reader.join(600_000);
        return new Phase(
                latencies, expected, events / ((lastArrival[0] - t0) / 1000.0), events / ((sent - t0) / 1000.0));
    }

    private static void read(
            String bootstrap, String topic, String prefix, long expected, List<Long> latencies, long[] lastArrival) {
        try (KafkaConsumer<String, TrainingMetrics> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                EventSerdes.trainingMetrics().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            consumer.poll(Duration.ofMillis(100));
            long deadline = System.currentTimeMillis() + 600_000;
            while (latencies.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, TrainingMetrics> r : consumer.poll(Duration.ofMillis(50))) {
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
