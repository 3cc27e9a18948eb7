package org.kafkatrain.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.bench.BenchFigure;
import org.kafkatrain.contracts.bench.BenchResults;
import org.kafkatrain.contracts.security.ApiToken;
import org.kafkatrain.fixtures.TrainedRun;
import org.kafkatrain.store.CheckpointStore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark (prints figures; not a test) of a running inference-service on this machine: REST requests/s and
 * p50/p99 latency at concurrency 1 and 8 ({@code POST /predict} with a 28x28 PNG), and images/s through Kafka
 * ({@code images.infer} to {@code predictions}). The model is a ResNet-50 trained a few steps on Fashion-MNIST by
 * the engine and stored as the trainer stores it. The script runs it once per batching setting and restarts the
 * service in between, so the lines compare side by side.
 *
 * usage: InferenceBench [label] [requests=300] [records=600]   (env: the service URL as INFERENCE_URL, Kafka and S3
 * as the services read them)
 */
public final class InferenceBench {
    private InferenceBench() {}

    public static void main(String[] args) throws Exception {
        String label = args.length > 0 ? args[0] : "default";
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int records = args.length > 2 ? Integer.parseInt(args[2]) : 600;
        String url = System.getenv().getOrDefault("INFERENCE_URL", "http://127.0.0.1:8083");
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");

        CheckpointStore store = BenchEnvironment.store();
        store.ensureBucket();
        TrainedRun run = new TrainedRun("bench-" + UUID.randomUUID().toString().substring(0, 8));
        run.train(4);
        run.store(store, 0, null, Files.createTempDirectory("inference-bench"));
        byte[] png = ImageFiles.encode(run.val.pixels(0), 28, 28, 1, "png");

        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/predict/" + run.runId))
                .header("content-type", "image/png")
                .header(
                        "Authorization",
                        ApiToken.bearer(ApiToken.fromEnvironment().orElse("")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(png))
                .timeout(Duration.ofMinutes(3))
                .build();
        send(http, request); // loads the model
        for (int i = 0; i < 20; i++) {
            send(http, request);
        }
        BenchResults results = BenchResults.fromEnvironment();
        System.out.printf(Locale.ROOT, "%-10s %-22s %10s %9s %9s%n", "batching", "path", "rate", "p50 ms", "p99 ms");
        for (int concurrency : new int[] {1, 8}) {
            List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                done.add(pool.submit(() -> {
                    long s = System.nanoTime();
                    send(http, request);
                    nanos.add(System.nanoTime() - s);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            List<Long> sorted = nanos.stream().sorted().toList();
            double p50 = sorted.get(sorted.size() / 2) / 1e6;
            double p99 = sorted.get((int) (sorted.size() * 0.99)) / 1e6;
            String path = label + ", REST concurrency " + concurrency;
            results.add(BenchFigure.of("inference", path, requests / seconds, "requests/s"));
            results.add(BenchFigure.of("inference", path + " p50", p50, "ms"));
            results.add(BenchFigure.of("inference", path + " p99", p99, "ms"));
            System.out.printf(
                    Locale.ROOT,
                    "%-10s %-22s %7.1f/s %9.1f %9.1f%n",
                    label,
                    "REST concurrency " + concurrency,
                    requests / seconds,
                    p50,
                    p99);
        }
        double kafka = kafkaRate(bootstrap, run, png, records);
        System.out.printf(Locale.ROOT, "%-10s %-22s %7.1f/s%n", label, "Kafka images.infer", kafka);
        results.add(BenchFigure.of("inference", label + ", images.infer -> predictions", kafka, "img/s"));
    }

    /** Images per second from the first record sent to the last prediction received. */
    private static double kafkaRate(String bootstrap, TrainedRun run, byte[] png, int records) throws Exception {
        try (KafkaConsumer<String, byte[]> predictions = new KafkaConsumer<>(
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            TopicPartition p0 = new TopicPartition(Topics.PREDICTIONS, 0);
            predictions.assign(List.of(p0));
            predictions.seekToEnd(List.of(p0));
            predictions.position(p0);
            long t0 = System.nanoTime();
            for (int i = 0; i < records; i++) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topics.IMAGES_INFER, run.runId + "-" + i, png);
                r.headers().add(Topics.HEADER_CONTENT_TYPE, "image/png".getBytes(StandardCharsets.UTF_8));
                r.headers().add("run", run.runId.getBytes(StandardCharsets.UTF_8));
                producer.send(r);
            }
            producer.flush();
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (seen < records && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : predictions.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.key().startsWith(run.runId + "-")) {
                        seen++;
                    }
                }
            }
            return seen / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        }
    }
}
