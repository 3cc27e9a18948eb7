package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.globalContext;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch.DeviceType;

import java.util.logging.Logger;

/**
 * The TF32 switches of a {@link Precision} on CUDA: cuBLAS matrix multiplies ({@code
 * torch.backends.cuda.matmul.allow_tf32}) and cuDNN convolutions ({@code torch.backends.cudnn.allow_tf32}). They
 * are process-wide in libtorch, as in PyTorch, so the runs a trainer trains side by side on GPUs share them: the
 * last run to start sets them.
 */
final class CudaMath {
    private static final Logger LOG = Logger.getLogger(CudaMath.class.getName());

    private CudaMath() {}

    static void apply(Precision precision, Device device) {
        if (device.type().intern() != DeviceType.CUDA) {
            if (precision == Precision.TF32) {
                LOG.info("precision tf32 changes nothing on the CPU: it trains in float32");
            }
            return;
        }
        boolean tf32Matmul = precision != Precision.FP32;
        globalContext().setAllowTF32CuBLAS(tf32Matmul);
        globalContext().setAllowTF32CuDNN(true);
        LOG.info(() -> "CUDA " + precision + ": TF32 in cuDNN convolutions, " + (tf32Matmul ? "TF32" : "float32")
                + " in cuBLAS matrix multiplies");
    }
}
