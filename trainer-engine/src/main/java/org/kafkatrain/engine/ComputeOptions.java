package org.kafkatrain.engine;

/**
 * How a trainer computes, as opposed to what it learns ({@link Hyperparameters}): arithmetic, the memory layout of
 * weights and inputs, and the Adam kernel. None of these changes a checkpoint's layout.
 *
 * @param channelsLast weights and inputs in NHWC ({@code memory_format=torch.channels_last}), the layout cuDNN's and
 *                     oneDNN's fastest convolutions want
 * @param adam         ATen's fused Adam, or the Java loop it is tested against
 */
public record ComputeOptions(Precision precision, boolean channelsLast, AdamOptimizer.Kernel adam) {
    public static ComputeOptions defaults() {
        return new ComputeOptions(Precision.FP32, false, AdamOptimizer.Kernel.FUSED);
    }

    public ComputeOptions withAdam(AdamOptimizer.Kernel kernel) {
        return new ComputeOptions(precision, channelsLast, kernel);
    }
}
