package org.kafkatrain.bench;

import static org.bytedeco.pytorch.global.torch.randn;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.kafkatrain.contracts.bench.BenchFigure;
import org.kafkatrain.contracts.bench.BenchResults;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.BatchAssembler;
import org.kafkatrain.engine.DataParallel;
import org.kafkatrain.engine.Hyperparameters;
import org.kafkatrain.engine.NativeRuntime;
import org.kafkatrain.engine.ReplicaGroup;
import org.kafkatrain.engine.Trainer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Benchmark (prints figures; not a test): ResNet-50 training on 1 replica against 2 data-parallel replicas, each a
 * process with one libtorch thread and mini-batch B (so the pair does twice the work per step on twice the
 * cores), Gloo on loopback; per step the time the gradient all-reduce took and its share of the step; and the
 * all-reduce's bandwidth for ResNet-50's gradients alone.
 *
 * usage: ScaleBench [steps=20] [batch=32] [size=28]
 */
public final class ScaleBench {
    private static final Device CPU = new Device(DeviceType.CPU);

    private ScaleBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("replica")) {
            replica(
                    Integer.parseInt(args[1]),
                    Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            return;
        }
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 28;
        System.out.printf(
                Locale.ROOT,
                "ResNet-50, 10 classes, batch %d per replica, %dx%d, 1 libtorch thread per replica, %d steps, %d cores%n",
                batch,
                size,
                size,
                steps,
                Runtime.getRuntime().availableProcessors());
        NativeRuntime.prepare(1);
        Trainer one = new Trainer(10, Hyperparameters.defaults().withBatch(batch, size), CPU);
        List<Batch> batches = batches(batch, size, 0);
        for (int i = 0; i < 3; i++) {
            one.trainStep(batches.get(i % batches.size()));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            one.trainStep(batches.get(i % batches.size()));
        }
        double single = steps * batch / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "1 replica : %7.1f img/s%n", single);

        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<Process> ranks = new ArrayList<>();
        for (int rank = 0; rank < 2; rank++) {
            ranks.add(new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx2g",
                            "-cp",
                            System.getProperty("java.class.path"),
                            ScaleBench.class.getName(),
                            "replica",
                            Integer.toString(rank),
                            Integer.toString(port),
                            Integer.toString(steps),
                            Integer.toString(batch),
                            Integer.toString(size))
                    .redirectErrorStream(true)
                    .start());
        }
        String result = null;
        for (int rank = 0; rank < 2; rank++) {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(ranks.get(rank).getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (rank == 0 && line.startsWith("RESULT ")) {
                        result = line;
                    } else if (rank == 0 && line.startsWith("  ")) {
                        System.out.println(line);
                    }
                }
            }
            if (ranks.get(rank).waitFor() != 0) {
                throw new IllegalStateException("replica " + rank + " failed");
            }
        }
        String[] f = result.split(" ");
        double rate = Double.parseDouble(f[1]);
        double stepMs = Double.parseDouble(f[2]);
        double reduceMs = Double.parseDouble(f[3]);
        System.out.printf(
                Locale.ROOT,
                "2 replicas: %7.1f img/s = %.2fx 1 replica (ideal 2x); step %.0f ms, gradient all-reduce %.1f ms"
                        + " = %.1f%% of the step%n",
                rate,
                rate / single,
                stepMs,
                reduceMs,
                100 * reduceMs / stepMs);
        BenchResults results = BenchResults.fromEnvironment();
        String setting = String.format(Locale.ROOT, "%d px, batch %d per replica", size, batch);
        results.add(BenchFigure.of("scale", setting + ", 1 replica", single, "img/s"));
        results.add(BenchFigure.of("scale", setting + ", 2 replicas", rate, "img/s"));
        results.add(BenchFigure.of("scale", setting + ", 2 replicas / 1 replica", rate / single, BenchFigure.RATIO));
        results.add(BenchFigure.of(
                "scale", setting + ", gradient all-reduce share of the step", 100 * reduceMs / stepMs, "%"));
        System.out.println(
                "On a cluster the figure is all-reduce time against step time: a ring all-reduce moves 2(N-1)/N"
                        + " of the gradients per rank, so its time stays about flat in N at a given link speed"
                        + " while each rank's compute stays the same; scaling holds while it stays a small share.");
    }

    /** One rank: the same steps through a group of two; rank 0 prints the figures. */
    private static void replica(int rank, int port, int steps, int batch, int size) throws Exception {
        NativeRuntime.prepare(1);
        Trainer trainer = new Trainer(10, Hyperparameters.defaults().withBatch(batch, size), CPU);
        List<Batch> batches = batches(batch, size, rank + 1);
        try (ReplicaGroup group =
                ReplicaGroup.join("127.0.0.1", port, "bench", rank, 2, CPU, Duration.ofSeconds(120))) {
            DataParallel dp = new DataParallel(trainer, group);
            dp.broadcastModel();
            for (int i = 0; i < 3; i++) {
                dp.trainStep(batches.get(i % batches.size()), 2 * batch).read();
            }
            double reduceBefore = dp.allReduceSeconds();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                dp.trainStep(batches.get(i % batches.size()), 2 * batch).read();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double reduce = dp.allReduceSeconds() - reduceBefore;
            Tensor gradients = randn(trainer.optimizer().params().stream()
                    .mapToLong(Tensor::numel)
                    .sum());
            double[] bandwidth = new double[5];
            for (int i = 0; i < bandwidth.length; i++) {
                long t1 = System.nanoTime();
                group.allReduceSum(List.of(gradients));
                bandwidth[i] = gradients.numel() * 4 / ((System.nanoTime() - t1) / 1e9) / 1e9; // GB/s
            }
            if (rank == 0) {
                BenchResults.fromEnvironment()
                        .add(BenchFigure.median("scale", "ResNet-50 gradients all-reduced alone", "GB/s", bandwidth));
                System.out.printf(
                        Locale.ROOT,
                        "  all-reduce of %.1f M float32 gradients (%.0f MB) alone, median of 5: %.0f ms, %.2f GB/s"
                                + " algorithm bandwidth (bus bandwidth for 2 ranks: the same)%n",
                        gradients.numel() / 1e6,
                        gradients.numel() * 4 / 1e6,
                        gradients.numel() * 4 / (BenchFigure.median(bandwidth) * 1e9) * 1e3,
                        BenchFigure.median(bandwidth));
                System.out.printf(
                        Locale.ROOT,
                        "RESULT %.3f %.3f %.3f%n",
                        steps * 2.0 * batch / seconds,
                        seconds / steps * 1e3,
                        reduce / steps * 1e3);
            }
        }
    }

    private static List<Batch> batches(int batch, int size, long seed) {
        List<Batch> out = new ArrayList<>();
        Random random = new Random(seed);
        BatchAssembler assembler = new BatchAssembler(batch, size, size, 1, null, out::add);
        for (int i = 0; out.size() < 4; i++) {
            byte[] pixels = new byte[size * size];
            random.nextBytes(pixels);
            assembler.add(pixels, random.nextInt(10), i, i);
        }
        return out;
    }
}
