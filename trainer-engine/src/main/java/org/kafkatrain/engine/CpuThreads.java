package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.set_num_threads;

import org.bytedeco.openblas.presets.openblas_nolapack;

import java.util.logging.Logger;

/** The CPU threads of the native libraries under the engine, set in one place for every process that trains or predicts. */
public final class CpuThreads {
    private static final Logger LOG = Logger.getLogger(CpuThreads.class.getName());

    private CpuThreads() {}

    /**
     * {@code intraOp} threads for libtorch's own parallel CPU ops (OpenMP, oneDNN), and one for OpenBLAS. libtorch
     * parallelizes around the few matrix products it leaves to OpenBLAS (the {@code fc} layer); a pool of OpenBLAS's
     * own would keep its threads spinning after each call on the cores OpenMP's threads need. Measured with
     * {@code StepPhasesBench} (ResNet-50, bf16 + channels_last, batch 32, 28 px, 2 cores), a loop that waits between
     * phases: backward 171 ms per step with OpenBLAS's default pool, 93 ms with one thread (PyTorch's wheel: 88-112
     * ms). Back-to-back steps ({@code ComputeBench}, the trainer's pattern) measured alike within noise either way.
     */
    public static void use(int intraOp) {
        set_num_threads(intraOp);
        try {
            openblas_nolapack.blas_set_num_threads(1);
        } catch (LinkageError e) {
            // A libtorch built against another BLAS (a GPU machine's own, through shared/gpu-kit) brings no OpenBLAS.
            LOG.info("no OpenBLAS to set to one thread: " + e.getMessage());
        }
    }

    /** OpenBLAS's thread count as OpenBLAS reports it. */
    static int blasThreads() {
        return openblas_nolapack.blas_get_num_threads();
    }
}
