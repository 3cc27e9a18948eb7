package org.kafkatrain.bench;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.ImageTransform;
import org.kafkatrain.contracts.RawImage;
import org.kafkatrain.contracts.RecordLimits;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.bench.BenchFigure;
import org.kafkatrain.contracts.bench.BenchResults;
import org.kafkatrain.contracts.proto.PixelEncoding;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.fixtures.TrainingData;
import org.kafkatrain.testing.FashionMnist;
import org.kafkatrain.trainer.data.BatchFeed;
import org.kafkatrain.trainer.data.BatchShape;
import org.kafkatrain.trainer.data.EpochBatches;
import org.kafkatrain.trainer.data.EpochSpan;
import org.kafkatrain.trainer.data.ImageSource;
import org.kafkatrain.trainer.data.RecordDecoder;
import org.kafkatrain.trainer.data.Stripe;
import org.kafkatrain.trainer.kafka.KafkaClients;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Benchmark (prints figures; not a test): the trainer's feed without the model, at 224x224x3: records from Kafka
 * decoded, shuffled and assembled into batches of 64 by the run's own data path, for raw pixels, raw pixels the
 * producer compressed with zstd, and JPEG; with the decoding on the feed thread and on a pool. Prints images/s,
 * records/s and MB/s of record values, and from the single-threaded rate the cores a feed of 4,500 images/s (an
 * H200 on ResNet-50 at 224 px) would need.
 *
 * usage: FeedBench [images=3000] [decode thread counts=1,2]   (env: KAFKA_BOOTSTRAP_SERVERS)
 */
public final class FeedBench {
    private static final int SIDE = 224;
    private static final double GPU_RATE = 4500;

    private FeedBench() {}

    private record Encoding(String name, PixelEncoding pixels, String compression, int perRecord) {}

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        List<Integer> threadCounts = args.length > 1
                ? List.of(args[1].split(",")).stream().map(Integer::parseInt).toList()
                : List.of(1, 2);
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        FashionMnist fm = FashionMnist.load("train");
        ImageTransform toSize = new ImageTransform(SIDE, 3);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            RawImage raw = toSize.apply(new RawImage(fm.pixels(i), 28, 28, 1));
            samples.add(new Sample("fm/" + i, fm.label(i), SIDE, SIDE, 3, raw.pixels()));
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        KafkaClients kafka = new KafkaClients(bootstrap, 64, Map.of());
        ImageRecordCodec codec = new ImageRecordCodec(RecordLimits.DEFAULT.withNumClasses(10));
        System.out.printf(
                Locale.ROOT,
                "feed: %d Fashion-MNIST images at %dx%dx3 from Kafka into batches of 64 (decode, seeded shuffle,"
                        + " assembly), %d cores%n",
                images,
                SIDE,
                SIDE,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(
                Locale.ROOT,
                "%-9s %8s %10s %10s %10s %12s %14s%n",
                "encoding",
                "threads",
                "img/s",
                "records/s",
                "MB/s",
                "value bytes",
                "cores @4500/s");
        BenchResults results = BenchResults.fromEnvironment();
        for (Encoding e : List.of(
                new Encoding("raw", PixelEncoding.RAW_U8_HWC, "none", 6),
                new Encoding("raw+zstd", PixelEncoding.RAW_U8_HWC, "zstd", 6),
                new Encoding("jpeg", PixelEncoding.JPEG, "none", 64))) {
            String topic = "bench.feed." + id + "." + e.name().replace('+', '-');
            long bytes = publish(bootstrap, topic, samples, e);
            double singleRate = 0;
            for (int threads : threadCounts) {
                ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
                try {
                    RecordDecoder decoder = new RecordDecoder(codec, SIDE, SIDE, 3, pool);
                    ImageSource.Factory sources = BenchEnvironment.sources(kafka, decoder);
                    EpochSpan span;
                    try (ImageSource source = sources.open("bench-offsets", topic)) {
                        span = new EpochSpan(source.beginning(), source.end(), 0, 0);
                    }
                    long records = span.end().values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
                    double best = 0;
                    for (int round = 0; round < 3; round++) { // best of 3: the first pays for JIT and page cache
                        long n = 0;
                        long t0 = System.nanoTime();
                        try (BatchFeed feed = EpochBatches.train(
                                sources,
                                "bench-" + round,
                                topic,
                                span,
                                Stripe.ALL,
                                new BatchShape(64, SIDE, SIDE, 3),
                                1000,
                                1,
                                false,
                                r -> {})) {
                            for (Batch b = feed.take(); b != null; b = feed.take()) {
                                n += b.size();
                            }
                        }
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        best = Math.max(best, n / seconds);
                    }
                    if (threads == 1) {
                        singleRate = best;
                    }
                    double perImage = (double) bytes / images;
                    System.out.printf(
                            Locale.ROOT,
                            "%-9s %8d %10.0f %10.0f %10.1f %12s %14s%n",
                            e.name(),
                            threads,
                            best,
                            best * records / images,
                            best * perImage / 1e6,
                            String.format(Locale.ROOT, "%.1f KB/img", perImage / 1024),
                            threads == 1 ? String.format(Locale.ROOT, "%.1f", GPU_RATE / singleRate) : "");
                    results.add(BenchFigure.of(
                            "feed",
                            String.format(
                                    Locale.ROOT,
                                    "%d px %s, %d decode thread%s (best of 3)",
                                    SIDE,
                                    e.name(),
                                    threads,
                                    threads == 1 ? "" : "s"),
                            best,
                            "img/s"));
                    if (threads == 1) {
                        results.add(BenchFigure.of(
                                "feed",
                                String.format(Locale.ROOT, "%d px %s, cores for %.0f img/s", SIDE, e.name(), GPU_RATE),
                                GPU_RATE / singleRate,
                                "cores"));
                    }
                } finally {
                    if (pool != null) {
                        pool.shutdownNow();
                    }
                }
            }
        }
        System.out.println("MB/s counts record values as produced (before the producer's compression); cores @4500/s"
                + " is 4,500 / the one-thread rate: the decode threads a GPU node needs for ResNet-50 at 224 px.");
    }

    /** The samples in envelopes of {@code perRecord} images; returns the value bytes sent. */
    private static long publish(String bootstrap, String topic, List<Sample> samples, Encoding e) {
        long bytes = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        e.compression(),
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        2 << 20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        1 << 20,
                        ProducerConfig.LINGER_MS_CONFIG,
                        10),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < samples.size(); i += e.perRecord()) {
                List<Sample> group = samples.subList(i, Math.min(samples.size(), i + e.perRecord()));
                byte[] value = ImageRecordCodec.encodeBatch("bench", group, e.pixels());
                bytes += value.length;
                producer.send(
                        TrainingData.record(topic, group.get(0).id(), ImageRecordCodec.BATCH_CONTENT_TYPE, value));
            }
            producer.flush();
        }
        return bytes;
    }
}
