package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.softmax;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.List;
import java.util.Map;

/**
 * A trained ResNet-50 in eval mode for predictions: the checkpoint's weights, the run's input normalization, class
 * probabilities as {@code softmax(model(x), dim=1)}. The input path is the trainer's own ({@link InputTransform}), so
 * its argmax is the class the trainer's evaluation counted. Not thread-safe: one thread runs its batches.
 */
public final class Predictor implements AutoCloseable {
    private final ResNet50 model;
    private final InputTransform input;
    private final Device device;
    private final int numClasses;

    /**
     * @param checkpoint a checkpoint dict (a kafka-train checkpoint, or any dict whose {@code model} entry is a
     *                   ResNet-50 state dict with {@code numClasses} outputs)
     */
    public Predictor(
            Map<String, Object> checkpoint, int numClasses, List<Double> mean, List<Double> std, Device device) {
        this.device = device;
        this.numClasses = numClasses;
        model = new ResNet50(numClasses);
        Checkpoints.loadModel(model, checkpoint);
        model.to(device, false);
        model.eval();
        input = new InputTransform(mean, std, device);
    }

    public int numClasses() {
        return numClasses;
    }

    public Device device() {
        return device;
    }

    /** Class probabilities of each image of the batch, row-major: {@code [batch.size() * numClasses]}. */
    public float[] probabilities(Batch batch) {
        try (PointerScope ignored = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            Tensor logits = model.forward(input.apply(batch));
            Tensor p = softmax(logits, 1, new ScalarTypeOptional(ScalarType.Float));
            return Tensors.toFloats(p.cpu().contiguous());
        }
    }

    /** Frees the weights now rather than when the garbage collector finds the model. */
    @Override
    public void close() {
        model.close();
    }
}
