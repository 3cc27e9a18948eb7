package org.kafkatrain.engine;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.List;
import java.util.Map;

/** Fills a model the way shared/reference/resnet50-reference.json describes, so its numbers can be compared with PyTorch's. */
final class FormulaWeights {
    private FormulaWeights() {
    }

    static void fill(ResNet50 model) {
        try (NoGradGuard ignored = new NoGradGuard()) {
            List<Map.Entry<String, Tensor>> entries = List.copyOf(StateDict.of(model).entrySet());
            for (int k = 0; k < entries.size(); k++) {
                String name = entries.get(k).getKey();
                Tensor t = entries.get(k).getValue();
                if (name.endsWith("num_batches_tracked")) {
                    t.zero_();
                    continue;
                }
                float[] v = new float[Math.toIntExact(t.numel())];
                for (int j = 0; j < v.length; j++) {
                    double x;
                    if (name.endsWith("running_var")) {
                        x = 1 + 0.1 * Math.abs(Math.sin(j));
                    } else if (name.endsWith("running_mean")) {
                        x = 0.01 * Math.cos(j);
                    } else if (t.dim() == 1 && name.endsWith("weight")) {
                        x = 1 + 0.05 * Math.sin(0.37 * j + 1.3 * k);
                    } else {
                        x = 0.02 * Math.sin(0.37 * j + 1.3 * k);
                    }
                    v[j] = (float) x;
                }
                t.copy_(Tensors.floats(v, Tensors.shape(t)));
            }
        }
    }

    /** x[j] = sin(0.05 j) over the flattened NCHW index, shape [2, 3, 64, 64]. */
    static Tensor input() {
        float[] v = new float[2 * 3 * 64 * 64];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) Math.sin(0.05 * j);
        }
        return Tensors.floats(v, 2, 3, 64, 64).to(ScalarType.Float);
    }
}
