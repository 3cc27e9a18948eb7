package org.kafkatrain.bench;

import org.bytedeco.pytorch.Device;
import org.kafkatrain.contracts.bench.BenchFigure;
import org.kafkatrain.contracts.bench.BenchResults;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.BatchAssembler;
import org.kafkatrain.engine.DeviceChoice;
import org.kafkatrain.engine.NativeRuntime;
import org.kafkatrain.engine.Trainer;
import org.kafkatrain.fixtures.TrainingData;
import org.kafkatrain.store.CheckpointEntries;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.trainer.store.CheckpointUploads;
import org.kafkatrain.trainer.store.CheckpointWriter;
import org.kafkatrain.trainer.store.ResumePoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Benchmark (prints figures; not a test): what a ResNet-50 + Adam checkpoint costs the training loop, against the
 * local stack's real S3 server. Before: the whole checkpoint on the training thread (copy, serialize, spool, upload,
 * {@code latest.json}). After: the training thread only copies the state, and the rest runs on the upload thread
 * while training goes on; reported are that copy, the upload behind it, and the training rate while an upload runs
 * against the rate without one (on a CPU the two share the cores).
 *
 * usage: CheckpointStallBench [rounds=5] [batch=32]   (env: BENCH_DEVICE)
 */
public final class CheckpointStallBench {
    private CheckpointStallBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        NativeRuntime.prepare(Runtime.getRuntime().availableProcessors());
        Device device = DeviceChoice.select(System.getenv().getOrDefault("BENCH_DEVICE", "auto"));
        CheckpointStore store = BenchEnvironment.store();
        store.ensureBucket();
        String run = "stall-" + UUID.randomUUID().toString().substring(0, 8);
        CheckpointWriter writer = new CheckpointWriter(store, run, "bench.train", "{}", 2);
        Trainer trainer = new Trainer(10, TrainingData.hyperparameters(batch), device);
        List<Batch> batches = batches(batch);
        for (int i = 0; i < 3; i++) {
            trainer.trainStep(batches.get(i));
        }
        double[] before = new double[rounds];
        double[] stall = new double[rounds];
        double[] upload = new double[rounds];
        double[] rateDuring = new double[rounds];
        double[] rateIdle = new double[rounds];
        ResumePoint at = ResumePoint.fresh(Map.of(0, 0L)).inEpoch(0, 0, 0, Map.of(0, 0L), Map.of(0, 1L));
        try (CheckpointUploads uploads = new CheckpointUploads(run)) {
            for (int r = 0; r < rounds; r++) {
                long step = 2L * r + 1;
                rateIdle[r] = rate(trainer, batches, 20);

                long t0 = System.nanoTime();
                CheckpointWriter.Plan plan = plan(writer, at, step);
                writer.write(writer.snapshot(trainer, plan), Duration.ZERO, System.out::println);
                before[r] = seconds(t0);

                t0 = System.nanoTime();
                CheckpointWriter.Snapshot snapshot = writer.snapshot(trainer, plan(writer, at, step + 1));
                stall[r] = seconds(t0);
                long u0 = System.nanoTime();
                double[] took = new double[1];
                uploads.submit(() -> {
                    writer.write(snapshot, Duration.ZERO, System.out::println);
                    took[0] = seconds(u0);
                    return null;
                });
                long samples = 0;
                long s0 = System.nanoTime();
                while (uploads.busy()) {
                    samples += trainer.trainStep(batches.get((int) (samples / batch) % batches.size()))
                            .samples();
                }
                rateDuring[r] = samples / seconds(s0);
                uploads.await();
                upload[r] = took[0];
                System.out.printf(
                        "round %d/%d  before: %.2f s on the training thread  after: %.2f s (upload %.1f s behind it;"
                                + " %.1f img/s during it, %.1f without)%n",
                        r + 1, rounds, before[r], stall[r], upload[r], rateDuring[r], rateIdle[r]);
            }
        }
        String bench = "checkpoint";
        BenchFigure sync = BenchFigure.median(bench, "training thread held, synchronous checkpoint", "s", before);
        BenchFigure held = BenchFigure.median(bench, "training thread held, background upload", "s", stall)
                .withTarget("< 1");
        BenchFigure behind = BenchFigure.median(bench, "checkpoint write and upload behind it", "s", upload);
        double[] slowdown = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            slowdown[r] = rateDuring[r] / rateIdle[r];
        }
        BenchFigure during =
                BenchFigure.median(bench, "training while an upload runs / without", BenchFigure.RATIO, slowdown);
        System.out.printf(
                "%nResNet-50 + Adam checkpoint (%s, %d threads), medians of %d rounds:%n",
                device.str().getString(), Runtime.getRuntime().availableProcessors(), rounds);
        System.out.printf("training thread held, synchronous checkpoint:  %6.2f s%n", sync.value());
        System.out.printf(
                "training thread held, background upload:       %6.2f s  (%.1fx less)%n",
                held.value(), sync.value() / held.value());
        System.out.printf("upload behind it:                               %6.1f s%n", behind.value());
        System.out.printf(
                "training while it uploads: %.1f img/s vs %.1f without (ratio %.2f)%n",
                BenchFigure.median(rateDuring), BenchFigure.median(rateIdle), during.value());
        BenchResults results = BenchResults.fromEnvironment();
        List.of(sync, held, behind, during).forEach(results::add);
        System.exit(0);
    }

    private static CheckpointWriter.Plan plan(CheckpointWriter writer, ResumePoint at, long step) {
        return writer.plan(
                at.advanced(step, step),
                false,
                1.0,
                null,
                null,
                CheckpointEntries.DeadLetters.NONE,
                System.currentTimeMillis());
    }

    private static double rate(Trainer trainer, List<Batch> batches, int steps) {
        long samples = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            samples += trainer.trainStep(batches.get(i % batches.size())).samples();
        }
        return samples / seconds(t0);
    }

    private static List<Batch> batches(int batch) {
        List<Batch> batches = new ArrayList<>();
        Random random = new Random(1);
        BatchAssembler assembler = new BatchAssembler(batch, 28, 28, 1, null, batches::add);
        for (int i = 0; batches.size() < 8; i++) {
            byte[] pixels = new byte[28 * 28];
            random.nextBytes(pixels);
            assembler.add(pixels, random.nextInt(10), i, 0);
        }
        return batches;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
