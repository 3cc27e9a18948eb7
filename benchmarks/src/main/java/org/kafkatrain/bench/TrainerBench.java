package org.kafkatrain.bench;

import org.bytedeco.pytorch.Device;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.RecordLimits;
import org.kafkatrain.contracts.bench.BenchFigure;
import org.kafkatrain.contracts.bench.BenchResults;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.BatchAssembler;
import org.kafkatrain.engine.DeviceChoice;
import org.kafkatrain.engine.Hyperparameters;
import org.kafkatrain.engine.NativeRuntime;
import org.kafkatrain.engine.Trainer;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Benchmark (prints figures; not a test): training images/s fed from Kafka through the service's data path
 * (reader, decoder, shuffle, batch assembly, prefetch thread) against the same trainer fed from batches already in
 * memory, interleaved in rounds so both see the same machine; and the process RSS at step 100 and after each round
 * (the series goes to {@link BenchResults} for the report's plot).
 *
 * usage: TrainerBench [steps=2000] [batch=8] [rounds=10]   (env: KAFKA_BOOTSTRAP_SERVERS, BENCH_DEVICE)
 */
public final class TrainerBench {
    private TrainerBench() {}

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        NativeRuntime.prepare(Runtime.getRuntime().availableProcessors());
        Device device = DeviceChoice.select(System.getenv().getOrDefault("BENCH_DEVICE", "auto"));

        String id = UUID.randomUUID().toString().substring(0, 8);
        String dataset = "bench-" + id;
        String topic = "bench." + id + ".train";
        TrainingData.publish(bootstrap, dataset, topic, "bench." + id + ".val", 600, 1);
        Hyperparameters hp = TrainingData.hyperparameters(batch);
        Trainer trainer = new Trainer(10, hp, device);

        // In-memory source: the first 64 batches of the same data, assembled once.
        List<Batch> memory = new ArrayList<>();
        FashionMnist fm = FashionMnist.load("train");
        BatchAssembler assembler = new BatchAssembler(batch, 28, 28, 1, null, memory::add);
        for (int i = 0; memory.size() < 64; i++) {
            assembler.add(fm.pixels(i), fm.label(i), i, 0);
        }

        KafkaClients kafka = new KafkaClients(bootstrap, 64, Map.of());
        ImageRecordCodec codec = new ImageRecordCodec(RecordLimits.DEFAULT.withNumClasses(10));
        ImageSource.Factory sources = BenchEnvironment.sources(kafka, new RecordDecoder(codec, 28, 28, 1, null));
        EpochSpan span;
        try (ImageSource source = sources.open("bench-offsets", topic)) {
            span = new EpochSpan(source.beginning(), source.end(), 0, 0);
        }

        int perRound = steps / (2 * rounds);
        double[] kafkaRate = new double[rounds];
        double[] memoryRate = new double[rounds];
        double[] ratio = new double[rounds];
        List<List<Double>> rssOverSteps = new ArrayList<>();
        long rss100 = -1;
        long step = 0;
        // Warm-up: the first steps pay for allocator and kernel selection.
        for (int i = 0; i < 5; i++) {
            trainer.trainStep(memory.get(i));
        }
        for (int round = 0; round < rounds; round++) {
            long samples = 0;
            long t0 = System.nanoTime();
            // The run's own data path: reader, decoder, seeded shuffle, batch assembly on the prefetch thread.
            try (BatchFeed feed = EpochBatches.train(
                    sources,
                    "bench",
                    topic,
                    span,
                    Stripe.ALL,
                    new BatchShape(batch, 28, 28, 1),
                    10_000,
                    5,
                    false,
                    r -> {})) {
                for (int i = 0; i < perRound; i++) {
                    Batch b = feed.take();
                    samples += trainer.trainStep(b).samples();
                    if (++step == 100) {
                        rss100 = rssKb();
                    }
                }
            }
            kafkaRate[round] = samples / ((System.nanoTime() - t0) / 1e9);

            samples = 0;
            t0 = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                samples += trainer.trainStep(memory.get(i % memory.size())).samples();
                if (++step == 100) {
                    rss100 = rssKb();
                }
            }
            memoryRate[round] = samples / ((System.nanoTime() - t0) / 1e9);
            ratio[round] = kafkaRate[round] / memoryRate[round];
            rssOverSteps.add(List.of((double) step, rssKb() / 1024.0));
            System.out.printf(
                    "round %2d/%d  kafka %7.1f img/s  memory %7.1f img/s  ratio %.3f  (step %d, RSS %d MB)%n",
                    round + 1, rounds, kafkaRate[round], memoryRate[round], ratio[round], step, rssKb() / 1024);
        }
        long rssEnd = rssKb();
        String setting = String.format("batch %d, 28 px", batch);
        BenchFigure fromKafka = BenchFigure.median("trainer", setting + ", fed from Kafka", "img/s", kafkaRate);
        BenchFigure inMemory = BenchFigure.median("trainer", setting + ", fed from memory", "img/s", memoryRate);
        BenchFigure kafkaToMemory = BenchFigure.median(
                        "trainer", setting + ", Kafka-fed / in-memory", BenchFigure.RATIO, ratio)
                .withTarget(">= 0.97");
        System.out.printf(
                "%nResNet-50, batch %d, 28x28x1 -> 3 channels, device %s, %d steps in %d rounds%n",
                batch, device.str().getString(), step, rounds);
        System.out.printf("fed from Kafka:    %8.1f img/s (median of rounds)%n", fromKafka.value());
        System.out.printf("fed from memory:   %8.1f img/s (median of rounds)%n", inMemory.value());
        System.out.printf(
                "ratio kafka/memory: %.3f, median of the rounds' ratios (%.3f-%.3f; target >= 0.97)%n",
                kafkaToMemory.value(), kafkaToMemory.min(), kafkaToMemory.max());
        System.out.printf(
                "RSS at step 100: %d MB, at step %d: %d MB (%+.1f%%)%n",
                rss100 / 1024, step, rssEnd / 1024, 100.0 * (rssEnd - rss100) / rss100);
        BenchResults results = BenchResults.fromEnvironment();
        results.add(fromKafka);
        results.add(inMemory);
        results.add(kafkaToMemory);
        results.add(new BenchFigure(
                "trainer", "RSS over steps (" + setting + ")", rssEnd / 1024.0, "MB", List.of(), null, rssOverSteps));
        System.exit(0);
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
