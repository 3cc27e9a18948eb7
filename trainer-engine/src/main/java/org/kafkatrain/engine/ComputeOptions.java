package org.kafkatrain.engine;

import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.Precision;
import org.kafkatrain.contracts.runs.RunField;

/**
 * How a trainer computes, as opposed to what it learns ({@link Hyperparameters}): arithmetic, the memory layout of
 * weights and inputs, and the Adam kernel. None of these changes a checkpoint's layout.
 *
 * @param channelsLast weights and inputs in NHWC ({@code memory_format=torch.channels_last}), the layout cuDNN's and
 *                     oneDNN's fastest convolutions want
 * @param adam         ATen's fused Adam, or the Java loop it is tested against
 */
public record ComputeOptions(Precision precision, boolean channelsLast, AdamKernel adam) {
    /** A new run's, as {@link RunField} declares them. */
    public static ComputeOptions defaults() {
        return new ComputeOptions(
                (Precision) RunField.PRECISION.defaultValue(),
                (Boolean) RunField.CHANNELS_LAST.defaultValue(),
                (AdamKernel) RunField.ADAM.defaultValue());
    }

    public ComputeOptions withAdam(AdamKernel kernel) {
        return new ComputeOptions(precision, channelsLast, kernel);
    }
}
