package org.kafkatrain.engine;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Fills a model and its input the way {@code tools/make_reference.py} does, so its numbers can be compared with
 * PyTorch's. The numbers come from SplitMix64 over an integer counter: Java's long arithmetic and numpy's uint64
 * arithmetic give the same bits, and the few double operations that follow are correctly rounded in both.
 */
final class FormulaWeights {
    /** The counter prefix of the input tensor (model tensors use their state-dict index). */
    private static final int INPUT_K = 1000;

    private FormulaWeights() {}

    /** {@code n} numbers in [0, 1): SplitMix64 of {@code (k << 32) + j}, its top 53 bits over 2^53. */
    static double[] uniform(int k, int n) {
        double[] u = new double[n];
        for (int j = 0; j < n; j++) {
            long z = ((long) k << 32) + j + 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            u[j] = (z >>> 11) * 0x1.0p-53;
        }
        return u;
    }

    static void fill(ResNet50 model) {
        try (NoGradGuard ignored = new NoGradGuard()) {
            List<Map.Entry<String, Tensor>> entries =
                    List.copyOf(StateDict.of(model).entrySet());
            for (int k = 0; k < entries.size(); k++) {
                String name = entries.get(k).getKey();
                Tensor t = entries.get(k).getValue();
                if (name.endsWith("num_batches_tracked")) {
                    t.zero_();
                    continue;
                }
                double[] u = uniform(k, Math.toIntExact(t.numel()));
                double fanIn = t.dim() > 1 ? t.numel() / (double) t.size(0) : 1;
                float[] v = new float[u.length];
                for (int j = 0; j < v.length; j++) {
                    double x;
                    if (name.endsWith("running_var")) {
                        x = 0.5 + u[j];
                    } else if (name.endsWith("running_mean")) {
                        x = 0.2 * (u[j] - 0.5);
                    } else if (t.dim() == 1 && name.endsWith("weight")) {
                        x = 0.8 + 0.4 * u[j];
                    } else if (t.dim() == 1) {
                        x = 0.2 * (u[j] - 0.5);
                    } else {
                        x = (2 * u[j] - 1) / Math.sqrt(fanIn);
                    }
                    v[j] = (float) x;
                }
                t.copy_(Tensors.floats(v, Tensors.shape(t)));
            }
        }
    }

    /** Uniform in [-1, 1) over the flattened NCHW index. */
    static Tensor input(long... shape) {
        int n = Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact));
        double[] u = uniform(INPUT_K, n);
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            v[j] = (float) (2 * u[j] - 1);
        }
        return Tensors.floats(v, shape);
    }

    /** Class {@code (3 + 7 i) mod classes} for sample i. */
    static Tensor targets(int n, int classes) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(8 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bytes.putLong((3 + 7L * i) % classes);
        }
        return Tensors.fromData(new TensorData(TensorData.DType.INT64, new long[] {n}, bytes.array()));
    }
}
