package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.globalContext;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.kafkatrain.contracts.runs.Precision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * What a {@link Precision} switches in libtorch beyond autocast. On CUDA: TF32 in cuBLAS matrix multiplies
 * ({@code torch.backends.cuda.matmul.allow_tf32}) and cuDNN convolutions ({@code torch.backends.cudnn.allow_tf32}),
 * and cuDNN's algorithm search ({@code torch.backends.cudnn.benchmark});
 * they are process-wide in libtorch, as in PyTorch, so runs a trainer trains side by side on GPUs share them: the
 * last run to start sets them. On the CPU: nothing, but what a user should know is logged.
 */
final class PrecisionSwitches {
    private static final Logger LOG = Logger.getLogger(PrecisionSwitches.class.getName());

    private PrecisionSwitches() {}

    static void apply(Precision precision, Device device) {
        if (device.type().intern() != DeviceType.CUDA) {
            if (precision == Precision.TF32) {
                LOG.info("precision tf32 changes nothing on the CPU: it trains in float32");
            }
            if (precision == Precision.BF16 && !cpuHasAvx512()) {
                // Measured on a 2-core AVX2 EPYC, ResNet-50 at 28 px: 2.2 img/s against 58 in fp32, and the same
                // 2.2 in PyTorch 2.13; on an AVX-512 machine bf16 ran faster than fp32.
                LOG.warning("precision bf16 on a CPU without AVX-512: oneDNN has no bf16 kernels for it, and"
                        + " convolutions fall back to reference code about 25x slower than fp32; use fp32 here");
            }
            return;
        }
        boolean tf32Matmul = precision != Precision.FP32;
        globalContext().setAllowTF32CuBLAS(tf32Matmul);
        globalContext().setAllowTF32CuDNN(true);
        // A run's batches all have one shape (the last may be shorter), so timing cuDNN's algorithms once per shape
        // pays back within a few steps: torch.backends.cudnn.benchmark = True, as GPU training scripts set it.
        globalContext().setBenchmarkCuDNN(true);
        LOG.info(() -> "CUDA " + precision + ": TF32 in cuDNN convolutions, " + (tf32Matmul ? "TF32" : "float32")
                + " in cuBLAS matrix multiplies, cuDNN picks its algorithms by timing them (benchmark)");
    }

    /** Whether the CPU has AVX-512 (foundation and byte/word), which oneDNN's bf16 kernels need. */
    private static boolean cpuHasAvx512() {
        try {
            String info = Files.readString(Path.of("/proc/cpuinfo"));
            return info.contains(" avx512f") && info.contains(" avx512bw");
        } catch (IOException | RuntimeException e) {
            return true; // not Linux, or unreadable: nothing to warn about with confidence
        }
    }
}
