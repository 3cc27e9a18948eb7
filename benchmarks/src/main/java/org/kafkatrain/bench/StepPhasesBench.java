package org.kafkatrain.bench;

import static org.bytedeco.pytorch.global.torch.cross_entropy;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.kafkatrain.contracts.bench.BenchFigure;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.ComputeOptions;
import org.kafkatrain.engine.Hyperparameters;
import org.kafkatrain.engine.InputTransform;
import org.kafkatrain.engine.NativeRuntime;
import org.kafkatrain.engine.Tensors;
import org.kafkatrain.engine.Trainer;

import java.util.Random;

/**
 * Profile (prints figures; not a test): where a ResNet-50 training step's time goes on the CPU, phase by phase:
 * input, forward, loss, backward, Adam; medians over the steps. {@code tools/pytorch_compute_bench.py --phases}
 * times the same phases in PyTorch eager, so a gap between the two shows up in the phase it comes from.
 *
 * usage: StepPhasesBench [steps=20] [batch=32] [size=28] [variant=fp32]
 */
public final class StepPhasesBench {
    private static final String[] PHASES = {"input", "forward", "loss", "backward", "adam"};

    private StepPhasesBench() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 28;
        String variant = args.length > 3 ? args[3] : "fp32";
        NativeRuntime.prepare(Runtime.getRuntime().availableProcessors());
        Device cpu = new Device(DeviceType.CPU);
        ComputeOptions options = ComputeBench.options(variant);
        Hyperparameters hp = Hyperparameters.defaults().withBatch(batch, size);
        Trainer trainer = new Trainer(10, hp, cpu, options);
        InputTransform input = new InputTransform(hp.mean(), hp.std(), cpu);
        Random random = new Random(1);
        byte[] pixels = new byte[batch * size * size];
        random.nextBytes(pixels);
        long[] labels = random.longs(batch, 0, 10).toArray();
        Batch b = new Batch(pixels, labels, size, size, 1, 0);
        Tensor y = Tensors.longs(labels);
        trainer.model().train(true);
        double[][] times = new double[PHASES.length][steps];
        for (int s = -3; s < steps; s++) { // three warm-up steps
            try (PointerScope ignored = new PointerScope()) {
                long t0 = System.nanoTime();
                Tensor x = input.apply(b);
                long t1 = System.nanoTime();
                Tensor logits = trainer.model().forward(x);
                long t2 = System.nanoTime();
                Tensor loss = cross_entropy(logits, y);
                long t3 = System.nanoTime();
                trainer.optimizer().zeroGrad();
                loss.backward();
                long t4 = System.nanoTime();
                trainer.optimizer().step();
                long t5 = System.nanoTime();
                if (s >= 0) {
                    long[] marks = {t0, t1, t2, t3, t4, t5};
                    for (int p = 0; p < PHASES.length; p++) {
                        times[p][s] = (marks[p + 1] - marks[p]) / 1e6;
                    }
                }
            }
        }
        System.out.printf(
                "Java (libtorch %s), ResNet-50, batch %d, %dx%d, %s, %d threads: median ms per phase over %d steps%n",
                "2.10 Bytedeco",
                batch,
                size,
                size,
                variant,
                Runtime.getRuntime().availableProcessors(),
                steps);
        double total = 0;
        for (int p = 0; p < PHASES.length; p++) {
            double m = BenchFigure.median(times[p]);
            total += m;
            System.out.printf("%-9s %8.1f ms%n", PHASES[p], m);
        }
        System.out.printf("%-9s %8.1f ms (%.1f img/s)%n", "step", total, batch / (total / 1e3));
    }
}
