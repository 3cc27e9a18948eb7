package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.zeros_like;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam as {@code torch.optim.Adam} computes it (single-tensor path, amsgrad off, L2 weight decay added to the
 * gradient). The moments live here, in Java-held tensors, rather than inside libtorch's C++ Adam whose per-parameter
 * state the bindings do not expose: that is what lets a checkpoint carry the optimizer in PyTorch's own
 * {@code state_dict} layout and a resumed run continue bit for bit.
 */
public final class AdamOptimizer {
    private final List<Tensor> params;
    private final List<Tensor> expAvg = new ArrayList<>();
    private final List<Tensor> expAvgSq = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private double lr;
    private long step;

    public AdamOptimizer(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this.params = List.copyOf(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (Tensor p : this.params) {
            expAvg.add(zeros_like(p));
            expAvgSq.add(zeros_like(p));
        }
    }

    public void zeroGrad() {
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g.defined()) {
                g.zero_();
            }
        }
    }

    public void step() {
        step++;
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        double stepSize = lr / biasCorrection1;
        try (NoGradGuard ignored = new NoGradGuard()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                Tensor grad = p.grad();
                if (!grad.defined()) {
                    continue;
                }
                if (weightDecay != 0) {
                    grad = grad.add(p, new Scalar(weightDecay));
                }
                // exp_avg.lerp_(grad, 1 - beta1) is what PyTorch runs; lerp with weight w is a + w * (b - a).
                expAvg.get(i).lerp_(grad, new Scalar(1 - beta1));
                expAvgSq.get(i).mul_(new Scalar(beta2)).addcmul_(grad, grad, new Scalar(1 - beta2));
                Tensor denom = expAvgSq.get(i)
                        .sqrt()
                        .div_(new Scalar(biasCorrection2Sqrt))
                        .add_(new Scalar(eps));
                p.addcdiv_(expAvg.get(i), denom, new Scalar(-stepSize));
            }
        }
    }

    public double lr() {
        return lr;
    }

    public void setLr(double lr) {
        this.lr = lr;
    }

    public long stepCount() {
        return step;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double eps() {
        return eps;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public List<Tensor> params() {
        return params;
    }

    public List<Tensor> expAvg() {
        return expAvg;
    }

    public List<Tensor> expAvgSq() {
        return expAvgSq;
    }

    /** Restores the moments and step count of a checkpoint (tensors are copied into this optimizer's own). */
    public void restore(long stepCount, List<Tensor> avg, List<Tensor> avgSq) {
        if (avg.size() != params.size() || avgSq.size() != params.size()) {
            throw new IllegalArgumentException(
                    "optimizer state for " + avg.size() + " parameters, model has " + params.size());
        }
        try (NoGradGuard ignored = new NoGradGuard()) {
            for (int i = 0; i < params.size(); i++) {
                expAvg.get(i).copy_(avg.get(i));
                expAvgSq.get(i).copy_(avgSq.get(i));
            }
        }
        this.step = stepCount;
    }
}
