package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.zeros;
import static org.bytedeco.pytorch.global.torch.zeros_like;

import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorType;
import org.bytedeco.pytorch.Type;
import org.kafkatrain.contracts.runs.AdamKernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam as {@code torch.optim.Adam} computes it (single-tensor path, amsgrad off, L2 weight decay added to the
 * gradient). The moments live here, in Java-held tensors, rather than inside libtorch's C++ Adam whose per-parameter
 * state the bindings do not expose: that is what lets a checkpoint carry the optimizer in PyTorch's own
 * {@code state_dict} layout and a resumed run continue bit for bit.
 * <p>
 * Two kernels compute the same step over those tensors: {@link AdamKernel#FUSED}, ATen's {@code _fused_adam_} (what
 * {@code torch.optim.Adam(fused=True)} runs: one pass over all parameters, with CPU and CUDA kernels), called
 * through the dispatcher because the bindings have no Java method for it; and {@link AdamKernel#FOR_LOOP}, the
 * single-tensor loop in Java, kept as the reference the fused one is tested against.
 */
public final class AdamOptimizer {
    private static final String FUSED_OP = "aten::_fused_adam_";

    private final List<Tensor> params;
    private final List<Tensor> expAvg = new ArrayList<>();
    private final List<Tensor> expAvgSq = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final AdamKernel kernel;
    /** The step count as the fused kernel reads it: a 0-dim float tensor on the parameters' device. */
    private final Tensor stepTensor;

    private double lr;
    private long step;

    public AdamOptimizer(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(params, lr, beta1, beta2, eps, weightDecay, AdamKernel.FUSED);
    }

    public AdamOptimizer(
            List<Tensor> params,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            AdamKernel kernel) {
        this.params = List.copyOf(params);
        this.kernel = kernel;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (Tensor p : this.params) {
            expAvg.add(zeros_like(p));
            expAvgSq.add(zeros_like(p));
        }
        this.stepTensor = zeros(
                new long[0],
                new TensorOptions().device(new DeviceOptional(this.params.get(0).device())));
    }

    public AdamKernel kernel() {
        return kernel;
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
        if (kernel == AdamKernel.FUSED) {
            fusedStep();
        } else {
            loopStep();
        }
    }

    /**
     * One {@code _fused_adam_} call over the parameters that have a gradient. Its arguments go on the dispatcher's
     * stack in schema order: the tensor lists, lr, betas, weight decay, eps, amsgrad, maximize, and no grad scaler.
     * Every parameter's state step is the one step tensor, raised once per step as {@code _foreach_add_} would.
     */
    private void fusedStep() {
        try (NoGradGuard ignored = new NoGradGuard()) {
            stepTensor.fill_(new Scalar((double) step));
            GenericList self = tensorList();
            GenericList grads = tensorList();
            GenericList avgs = tensorList();
            GenericList avgSqs = tensorList();
            GenericList steps = tensorList();
            for (int i = 0; i < params.size(); i++) {
                Tensor grad = params.get(i).grad();
                if (grad.defined()) {
                    self.push_back(new IValue(params.get(i)));
                    grads.push_back(new IValue(grad));
                    avgs.push_back(new IValue(expAvg.get(i)));
                    avgSqs.push_back(new IValue(expAvgSq.get(i)));
                    steps.push_back(new IValue(stepTensor));
                }
            }
            IValueVector stack = new IValueVector(
                    new IValue(self),
                    new IValue(grads),
                    new IValue(avgs),
                    new IValue(avgSqs),
                    new IValue(tensorList()),
                    new IValue(steps),
                    new IValue(lr),
                    new IValue(beta1),
                    new IValue(beta2),
                    new IValue(weightDecay),
                    new IValue(eps),
                    new IValue(false),
                    new IValue(false),
                    new IValue(),
                    new IValue());
            FusedOp.HANDLE.callBoxed(stack);
        }
    }

    private static GenericList tensorList() {
        return new GenericList(new Type.TypePtr(TensorType.get()));
    }

    /**
     * The dispatcher's handle of the fused op, looked up once. The first lookup may happen inside a training step's
     * {@code PointerScope}; the extra reference keeps the scope from freeing the handle when it closes.
     */
    private static final class FusedOp {
        static final OperatorHandle HANDLE =
                Dispatcher.singleton().findSchemaOrThrow(FUSED_OP, "").retainReference();
    }

    private void loopStep() {
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        double stepSize = lr / biasCorrection1;
        // the per-step constants, built once per step rather than once per parameter
        Scalar decay = new Scalar(weightDecay);
        Scalar oneMinusBeta1 = new Scalar(1 - beta1);
        Scalar beta2Scalar = new Scalar(beta2);
        Scalar oneMinusBeta2 = new Scalar(1 - beta2);
        Scalar bc2 = new Scalar(biasCorrection2Sqrt);
        Scalar epsScalar = new Scalar(eps);
        Scalar minusStepSize = new Scalar(-stepSize);
        try (NoGradGuard ignored = new NoGradGuard()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                Tensor grad = p.grad();
                if (!grad.defined()) {
                    continue;
                }
                if (weightDecay != 0) {
                    grad = grad.add(p, decay);
                }
                // exp_avg.lerp_(grad, 1 - beta1) is what PyTorch runs; lerp with weight w is a + w * (b - a).
                expAvg.get(i).lerp_(grad, oneMinusBeta1);
                expAvgSq.get(i).mul_(beta2Scalar).addcmul_(grad, grad, oneMinusBeta2);
                Tensor denom = expAvgSq.get(i).sqrt().div_(bc2).add_(epsScalar);
                p.addcdiv_(expAvg.get(i), denom, minusStepSize);
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
