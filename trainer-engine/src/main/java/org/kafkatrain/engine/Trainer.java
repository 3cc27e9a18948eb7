package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.cross_entropy;
import static org.bytedeco.pytorch.global.torch.manual_seed;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    public Trainer(int numClasses, Hyperparameters hp, Device device) {
        this(numClasses, hp, device, AdamOptimizer.Kernel.FUSED);
    }

    /** @param adam how the optimizer step is computed: ATen's fused Adam, or the Java loop it is tested against */
    public Trainer(int numClasses, Hyperparameters hp, Device device, AdamOptimizer.Kernel adam) {
        this.hyperparameters = hp;
        this.device = device;
        manual_seed(hp.seed());
        model = new ResNet50(numClasses);
        model.to(device, false);
        List<Tensor> params = new ArrayList<>(StateDict.namedParameters(model).values());
        optimizer = new AdamOptimizer(params, hp.lr(), hp.beta1(), hp.beta2(), hp.eps(), hp.weightDecay(), adam);
        schedule = new StepLrSchedule(hp.lr(), hp.stepSize(), hp.gamma());
        input = new InputTransform(hp.mean(), hp.std(), device);
        topK = Math.min(5, numClasses);
    }

    public BatchResult trainStep(Batch batch) {
        try (PointerScope ignored = new PointerScope()) {
            model.train(true);
            Tensor x = input.apply(batch);
            Tensor y = labels(batch);
            Tensor logits = model.forward(x);
            Tensor loss = cross_entropy(logits, y);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            return measure(logits.detach(), y, loss);
        }
    }

    public BatchResult evalBatch(Batch batch) {
        try (PointerScope ignored = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            model.eval();
            Tensor y = labels(batch);
            Tensor logits = model.forward(input.apply(batch));
            return measure(logits, y, cross_entropy(logits, y));
        }
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

    private Tensor labels(Batch batch) {
        ByteBuffer bytes = ByteBuffer.allocate(batch.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long label : batch.labels()) {
            bytes.putLong(label);
        }
        return Tensors.fromData(new TensorData(TensorData.DType.INT64, new long[] {batch.size()}, bytes.array()))
                .to(device, ScalarType.Long);
    }

    /** Top-1/top-k hits as PyTorch's reference: {@code pred = out.topk(k, 1, True, True)[1].t(); pred.eq(target)}. */
    private BatchResult measure(Tensor logits, Tensor target, Tensor loss) {
        T_TensorTensor_T top = logits.topk(topK, 1, true, true);
        Tensor pred = top.get1().t();
        Tensor correct = pred.eq(target.view(1, -1).expand_as(pred));
        long correct1 = correct.narrow(0, 0, 1).sum().item_long();
        long correctK = correct.narrow(0, 0, topK).sum().item_long();
        return new BatchResult((int) logits.size(0), loss.item_double(), correct1, correctK);
    }
}
