package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.set_num_threads;

import org.bytedeco.pytorch.Device;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Benchmark (prints figures; not a test): ResNet-50 training img/s with ATen's fused Adam against the Java loop,
 * the same batches, interleaved in rounds so both see the same machine; the ratio per round and its median.
 *
 * usage: AdamKernelsBench [steps per round=20] [batch=32] [rounds=6] [size=28]   (env: BENCH_DEVICE)
 */
public final class AdamKernelsBench {
    private AdamKernelsBench() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 28;
        set_num_threads(Runtime.getRuntime().availableProcessors());
        Device device = DeviceChoice.select(System.getenv().getOrDefault("BENCH_DEVICE", "auto"));
        Hyperparameters defaults = Hyperparameters.defaults();
        Hyperparameters hp = new Hyperparameters(
                defaults.lr(),
                defaults.beta1(),
                defaults.beta2(),
                defaults.eps(),
                defaults.weightDecay(),
                defaults.stepSize(),
                defaults.gamma(),
                batch,
                size,
                defaults.mean(),
                defaults.std(),
                defaults.seed(),
                false);
        List<Batch> batches = new ArrayList<>();
        Random random = new Random(1);
        BatchAssembler assembler = new BatchAssembler(batch, size, size, 1, null, batches::add);
        for (int i = 0; batches.size() < 8; i++) {
            byte[] pixels = new byte[size * size];
            random.nextBytes(pixels);
            assembler.add(pixels, random.nextInt(10), i, i);
        }
        Trainer fused = new Trainer(10, hp, device, AdamOptimizer.Kernel.FUSED);
        Trainer loop = new Trainer(10, hp, device, AdamOptimizer.Kernel.FOR_LOOP);
        for (int i = 0; i < 3; i++) { // warm-up: allocator and kernel selection
            fused.trainStep(batches.get(i));
            loop.trainStep(batches.get(i));
        }
        System.out.printf(
                "ResNet-50, 10 classes, batch %d, %dx%d, %d threads, %s; %d rounds of %d steps each%n",
                batch,
                size,
                size,
                Runtime.getRuntime().availableProcessors(),
                device.str().getString(),
                rounds,
                steps);
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            double fusedRate = rate(fused, batches, steps);
            double loopRate = rate(loop, batches, steps);
            ratios[round] = fusedRate / loopRate;
            System.out.printf(
                    "round %d/%d  fused %6.1f img/s  loop %6.1f img/s  fused/loop %.3f%n",
                    round + 1, rounds, fusedRate, loopRate, ratios[round]);
        }
        Arrays.sort(ratios);
        System.out.printf(
                "median fused/loop %.3f (min %.3f, max %.3f)%n", ratios[rounds / 2], ratios[0], ratios[rounds - 1]);
    }

    private static double rate(Trainer trainer, List<Batch> batches, int steps) {
        long samples = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            samples += trainer.trainStep(batches.get(i % batches.size())).samples();
        }
        return samples / ((System.nanoTime() - t0) / 1e9);
    }
}
