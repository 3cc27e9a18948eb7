package org.kafkatrain.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.pytorch.global.torch.manual_seed;
import static org.bytedeco.pytorch.global.torch.randn;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kafkatrain.contracts.runs.AdamKernel;

import java.util.ArrayList;
import java.util.List;

/**
 * ATen's fused Adam against the Java loop (PyTorch's single-tensor algorithm) on the same parameters and
 * gradients: 20 steps, with and without weight decay, one parameter left without a gradient, a learning-rate
 * change half way (StepLR), and a restore from the loop's state in the middle.
 */
class AdamKernelsTest {
    private static final long[][] SHAPES = {{64, 3, 7, 7}, {64}, {256, 64, 1, 1}, {10, 2048}, {10}, {5}};

    @ParameterizedTest(name = "weight decay {0}")
    @ValueSource(doubles = {0.0, 0.01})
    void fusedEqualsTheLoopWithin1e6Relative(double weightDecay) {
        manual_seed(7);
        List<Tensor> a = params();
        List<Tensor> b =
                a.stream().map(t -> t.detach().clone().requires_grad_(true)).toList();
        AdamOptimizer fused = new AdamOptimizer(a, 1e-3, 0.9, 0.999, 1e-8, weightDecay, AdamKernel.FUSED);
        AdamOptimizer loop = new AdamOptimizer(b, 1e-3, 0.9, 0.999, 1e-8, weightDecay, AdamKernel.FOR_LOOP);
        for (int step = 1; step <= 20; step++) {
            fused.zeroGrad();
            loop.zeroGrad();
            for (int i = 0; i < SHAPES.length - 1; i++) { // the last parameter never gets a gradient
                Tensor g = randn(SHAPES[i]).mul_(new Scalar(0.01 * step));
                setGrad(a.get(i), g);
                setGrad(b.get(i), g.clone());
            }
            if (step == 11) {
                fused.setLr(1e-4);
                loop.setLr(1e-4);
            }
            fused.step();
            loop.step();
            if (step == 10) {
                // a resume: the fused optimizer takes the loop's state, as a checkpoint restore does
                fused.restore(loop.stepCount(), loop.expAvg(), loop.expAvgSq());
            }
        }
        assertThat(fused.stepCount()).isEqualTo(20);
        for (int i = 0; i < SHAPES.length; i++) {
            assertThat(relativeError(a.get(i), b.get(i))).as("param %d", i).isLessThanOrEqualTo(1e-6);
            assertThat(relativeError(fused.expAvg().get(i), loop.expAvg().get(i)))
                    .isLessThanOrEqualTo(1e-6);
            assertThat(relativeError(fused.expAvgSq().get(i), loop.expAvgSq().get(i)))
                    .isLessThanOrEqualTo(1e-6);
        }
        assertThat(a.get(SHAPES.length - 1).equal(b.get(SHAPES.length - 1))).isTrue();
        assertThat(fused.expAvg().get(SHAPES.length - 1).abs().sum().item().toDouble())
                .isZero();
    }

    private static List<Tensor> params() {
        List<Tensor> params = new ArrayList<>();
        for (long[] shape : SHAPES) {
            params.add(randn(shape).mul_(new Scalar(0.05)).requires_grad_(true));
        }
        return params;
    }

    /** Gives {@code p} the gradient {@code g} (after zeroGrad): d(sum(p * g))/dp = g. */
    private static void setGrad(Tensor p, Tensor g) {
        p.mul(g).sum().backward();
    }

    /** max |x - y| / max |y|, over the tensor. */
    private static double relativeError(Tensor x, Tensor y) {
        double scale = Math.max(y.abs().max().item().toDouble(), 1e-30);
        return x.sub(y).abs().max().item().toDouble() / scale;
    }
}
