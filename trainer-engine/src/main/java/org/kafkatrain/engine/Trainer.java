package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.cross_entropy;
import static org.bytedeco.pytorch.global.torch.manual_seed;
import static org.bytedeco.pytorch.global.torch.stack;
import static org.bytedeco.pytorch.global.torch.zeros;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.kafkatrain.contracts.runs.Precision;

import java.util.ArrayList;
import java.util.List;

/**
 * The tutorial's loop body on libtorch: ResNet-50, cross-entropy, Adam and StepLR on one device. A training step is
 * {@code zero_grad; loss = criterion(model(x), y); loss.backward(); optimizer.step()}; evaluation runs under no-grad
 * in eval mode. Every step runs inside its own {@link PointerScope}, so native temporaries are freed when the step
 * ends instead of when the garbage collector gets round to them.
 */
public final class Trainer {
    private final ResNet50 model;
    private final AdamOptimizer optimizer;
    private final StepLrSchedule schedule;
    private final Device device;
    private final Hyperparameters hyperparameters;
    private final InputTransform input;
    private final int topK;
    private final ComputeOptions compute;
    private final boolean bf16;
    private final List<Module> batchNorms;
    private boolean batchNormFrozen;

    public Trainer(int numClasses, Hyperparameters hp, Device device) {
        this(numClasses, hp, device, ComputeOptions.defaults());
    }

    /** @param compute arithmetic, memory layout and Adam kernel; the weights are initialized alike whatever they are */
    public Trainer(int numClasses, Hyperparameters hp, Device device, ComputeOptions compute) {
        this.hyperparameters = hp;
        this.device = device;
        this.compute = compute;
        this.bf16 = compute.precision() == Precision.BF16;
        manual_seed(hp.seed());
        model = new ResNet50(numClasses);
        model.to(device, false);
        if (compute.channelsLast()) {
            toChannelsLast(model);
        }
        PrecisionSwitches.apply(compute.precision(), device);
        List<Tensor> params = new ArrayList<>(StateDict.namedParameters(model).values());
        optimizer =
                new AdamOptimizer(params, hp.lr(), hp.beta1(), hp.beta2(), hp.eps(), hp.weightDecay(), compute.adam());
        schedule = new StepLrSchedule(hp.lr(), hp.stepSize(), hp.gamma());
        input = new InputTransform(hp.mean(), hp.std(), device);
        topK = Math.min(5, numClasses);
        batchNorms = StateDict.modules(model, "BatchNorm");
    }

    /** One step, waiting for its loss and hits. */
    public BatchResult trainStep(Batch batch) {
        return issueTrainStep(batch).read();
    }

    /**
     * One step, issued to the device: its results stay there until read, so the host can go on to the next step
     * while the device works (on a GPU; a CPU step has finished when this returns).
     */
    public PendingResult issueTrainStep(Batch batch) {
        return issueTrainStep(batch, StepReduction.LOCAL);
    }

    /**
     * One step of a replica: local forward and backward, then {@code reduction} turns the local gradients and
     * results into the group's before the optimizer steps. A replica with no samples in this step still takes
     * part (its gradients count as zero) and steps with the others.
     */
    public PendingResult issueTrainStep(Batch batch, StepReduction reduction) {
        try (PointerScope ignored = new PointerScope()) {
            model.train(true);
            if (batchNormFrozen) {
                batchNorms.forEach(Module::eval);
            }
            optimizer.zeroGrad();
            Tensor stats;
            if (batch.size() > 0) {
                Tensor y = labels(batch);
                Tensor logits = forward(input(batch));
                Tensor loss = cross_entropy(logits, y);
                loss.backward();
                stats = hits(logits.detach(), y, loss);
            } else {
                stats = noSamples();
            }
            PendingResult result = reduction.reduce(batch.size(), stats);
            optimizer.step();
            return result;
        }
    }

    public BatchResult evalBatch(Batch batch) {
        return issueEvalBatch(batch).read();
    }

    /** One evaluation batch, its results left on the device as {@link #issueTrainStep} leaves them. */
    public PendingResult issueEvalBatch(Batch batch) {
        return issueEvalBatch(batch, StepReduction.LOCAL);
    }

    /** One evaluation batch of a replica: {@code reduction} sums the results over the group. */
    public PendingResult issueEvalBatch(Batch batch, StepReduction reduction) {
        try (PointerScope ignored = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            model.eval();
            Tensor stats;
            if (batch.size() > 0) {
                Tensor y = labels(batch);
                Tensor logits = forward(input(batch));
                stats = hits(logits, y, cross_entropy(logits, y));
            } else {
                stats = noSamples();
            }
            return reduction.reduce(batch.size(), stats);
        }
    }

    /**
     * Batch norm in eval mode during training too: running statistics frozen and used in place of the batch's, as
     * torchvision's {@code FrozenBatchNorm2d} does when fine-tuning; a step then no longer depends on how the
     * batch is split, which is what makes replicas comparable with one trainer sample for sample.
     */
    public void freezeBatchNorm(boolean frozen) {
        batchNormFrozen = frozen;
    }

    /** End of an epoch: StepLR moves to the next epoch's learning rate. */
    public void endEpoch() {
        schedule.step(optimizer);
    }

    /**
     * Trains only the classifier ({@code fc}) while {@code frozen}: every other parameter stops requiring a gradient,
     * so backward skips it and Adam leaves it (and its moments) alone, as {@code requires_grad_(False)} does in
     * PyTorch's fine-tuning recipe. Batch norm still updates its running statistics in train mode, as there.
     */
    public void freezeBackbone(boolean frozen) {
        StateDict.namedParameters(model).forEach((name, p) -> {
            if (!name.startsWith("fc.")) {
                p.requires_grad_(!frozen);
            }
        });
    }

    public double lr() {
        return optimizer.lr();
    }

    public ResNet50 model() {
        return model;
    }

    public AdamOptimizer optimizer() {
        return optimizer;
    }

    public StepLrSchedule schedule() {
        return schedule;
    }

    public Device device() {
        return device;
    }

    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    public ComputeOptions compute() {
        return compute;
    }

    /**
     * The model's logits in float32: under bf16 autocast the forward runs in bf16 and its output is cast back, so
     * the loss and the top-k are taken in float32 as PyTorch's AMP recipe does.
     */
    private Tensor forward(Tensor x) {
        try (Autocast ignored = Autocast.bf16(device.type(), bf16)) {
            Tensor logits = model.forward(x);
            return bf16 ? logits.to(ScalarType.Float) : logits;
        }
    }

    private Tensor input(Batch batch) {
        Tensor x = input.apply(batch);
        return compute.channelsLast() ? x.contiguous(MemoryFormat.ChannelsLast) : x;
    }

    /**
     * Every 4-D weight (the convolutions') to NHWC strides, in place, before the optimizer takes the parameters:
     * {@code model.to(memory_format=torch.channels_last)}. Adam's moments are then made alike ({@code zeros_like}
     * keeps the layout), and a checkpoint still stores contiguous NCHW tensors.
     */
    private static void toChannelsLast(ResNet50 model) {
        try (NoGradGuard ignored = new NoGradGuard()) {
            for (Tensor p : StateDict.namedParameters(model).values()) {
                if (p.dim() == 4) {
                    p.set_data(p.contiguous(MemoryFormat.ChannelsLast));
                }
            }
        }
    }

    private Tensor labels(Batch batch) {
        return Tensors.longs(batch.labels()).to(device, ScalarType.Long);
    }

    /**
     * Loss and top-1/top-k hits as PyTorch's reference: {@code pred = out.topk(k, 1, True, True)[1].t();
     * pred.eq(target)}; they stay on the device, in one float64 tensor (exact for the float32 loss and any count).
     */
    private Tensor hits(Tensor logits, Tensor target, Tensor loss) {
        T_TensorTensor_T top = logits.topk(topK, 1, true, true);
        Tensor pred = top.get1().t();
        Tensor correct = pred.eq(target.view(1, -1).expand_as(pred));
        return stack(new TensorVector(
                loss.detach().to(ScalarType.Double),
                correct.narrow(0, 0, 1).sum().to(ScalarType.Double),
                correct.narrow(0, 0, topK).sum().to(ScalarType.Double)));
    }

    private Tensor noSamples() {
        return zeros(3).to(device, ScalarType.Double);
    }
}
