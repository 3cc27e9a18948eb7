package org.kafkatrain.bench;

import org.bytedeco.pytorch.Device;
import org.kafkatrain.contracts.bench.BenchFigure;
import org.kafkatrain.contracts.bench.BenchResults;
import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.Precision;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.BatchAssembler;
import org.kafkatrain.engine.BatchResult;
import org.kafkatrain.engine.ComputeOptions;
import org.kafkatrain.engine.CpuThreads;
import org.kafkatrain.engine.DeviceChoice;
import org.kafkatrain.engine.GlibcMalloc;
import org.kafkatrain.engine.Hyperparameters;
import org.kafkatrain.engine.PendingResult;
import org.kafkatrain.engine.Trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Benchmark (prints figures; not a test): ResNet-50 training img/s under several {@link ComputeOptions} (Adam
 * kernel, precision, channels_last), the same batches, interleaved in rounds so every variant sees the same machine;
 * each variant's median over the rounds, and its median ratio to the first variant (also to {@link BenchResults}).
 * <p>
 * A variant is written {@code precision[+cl][+loop]}: {@code fp32+loop} is the Java Adam loop in float32,
 * {@code bf16+cl} bf16 autocast with channels_last and the fused Adam.
 *
 * usage: ComputeBench [steps per round=20] [batch=32] [rounds=6] [size=28] [variants=fp32+loop,fp32,bf16,fp32+cl,bf16+cl]
 * (env: BENCH_DEVICE; BENCH_MALLOC=glibc-defaults leaves glibc's allocator as it starts)
 */
public final class ComputeBench {
    private ComputeBench() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 28;
        List<String> variants = List.of((args.length > 4 ? args[4] : "fp32+loop,fp32,bf16,fp32+cl,bf16+cl").split(","));
        CpuThreads.use(Runtime.getRuntime().availableProcessors());
        if (!"glibc-defaults".equals(System.getenv("BENCH_MALLOC"))) { // the before of GlibcMalloc's figures
            GlibcMalloc.keepFreedMemory();
        }
        Device device = DeviceChoice.select(System.getenv().getOrDefault("BENCH_DEVICE", "auto"));
        Hyperparameters hp = Hyperparameters.defaults().withBatch(batch, size);
        List<Batch> batches = new ArrayList<>();
        Random random = new Random(1);
        BatchAssembler assembler = new BatchAssembler(batch, size, size, 1, null, batches::add);
        for (int i = 0; batches.size() < 8; i++) {
            byte[] pixels = new byte[size * size];
            random.nextBytes(pixels);
            assembler.add(pixels, random.nextInt(10), i, i);
        }
        List<Trainer> trainers = new ArrayList<>();
        for (String variant : variants) {
            Trainer trainer = new Trainer(10, hp, device, options(variant));
            for (int i = 0; i < 3; i++) { // warm-up: allocator, kernel selection, autocast's first casts
                trainer.trainStep(batches.get(i));
            }
            trainers.add(trainer);
        }
        System.out.printf(
                "ResNet-50, 10 classes, batch %d, %dx%d, %d threads, %s; %d rounds of %d steps per variant%n",
                batch,
                size,
                size,
                Runtime.getRuntime().availableProcessors(),
                device.str().getString(),
                rounds,
                steps);
        double[][] rates = new double[variants.size()][rounds];
        double[][] ratios = new double[variants.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            StringBuilder line = new StringBuilder(String.format("round %d/%d ", round + 1, rounds));
            for (int v = 0; v < variants.size(); v++) {
                rates[v][round] = rate(trainers.get(v), batches, steps);
                ratios[v][round] = rates[v][round] / rates[0][round];
                line.append(String.format(" %s %.1f", variants.get(v), rates[v][round]));
            }
            System.out.println(line.append(" img/s"));
        }
        System.out.printf("%n%-12s %10s %12s %20s%n", "variant", "img/s", "x " + variants.get(0), "(ratio min-max)");
        BenchResults results = BenchResults.fromEnvironment();
        String setting = String.format("%d px, batch %d", size, batch);
        for (int v = 0; v < variants.size(); v++) {
            BenchFigure rate = BenchFigure.median("compute", setting + ", " + variants.get(v), "img/s", rates[v]);
            BenchFigure ratio = BenchFigure.median(
                    "compute",
                    setting + ", " + variants.get(v) + " / " + variants.get(0),
                    BenchFigure.RATIO,
                    ratios[v]);
            System.out.printf(
                    "%-12s %10.1f %12.3f %20s%n",
                    variants.get(v), rate.value(), ratio.value(), String.format("%.3f-%.3f", ratio.min(), ratio.max()));
            results.add(rate);
            if (v > 0) {
                results.add(ratio);
            }
        }
    }

    /** {@code precision[+cl][+loop]}, as the usage line says. */
    static ComputeOptions options(String variant) {
        List<String> parts = List.of(variant.toLowerCase(Locale.ROOT).split("\\+"));
        return new ComputeOptions(
                Precision.parse(parts.get(0)),
                parts.contains("cl"),
                parts.contains("loop") ? AdamKernel.FOR_LOOP : AdamKernel.FUSED);
    }

    /**
     * Steps issued one after the other and their results read together at the end, as the trainer's window does: on
     * a GPU the host never waits mid-round, and the read is what waits for the last step, so the clock stops when the
     * device is done. On the CPU each step has finished when it is issued, so this is a plain loop there.
     */
    private static double rate(Trainer trainer, List<Batch> batches, int steps) {
        List<PendingResult> pending = new ArrayList<>(steps);
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            pending.add(trainer.issueTrainStep(batches.get(i % batches.size())));
        }
        long samples = PendingResult.readAll(pending).stream()
                .mapToLong(BatchResult::samples)
                .sum();
        return samples / ((System.nanoTime() - t0) / 1e9);
    }
}
