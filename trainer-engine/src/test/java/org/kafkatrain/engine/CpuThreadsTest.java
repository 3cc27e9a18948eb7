package org.kafkatrain.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.pytorch.global.torch.get_num_threads;

import org.junit.jupiter.api.Test;

/** libtorch gets the threads asked for, OpenBLAS (the BLAS libtorch calls on the CPU here) one. */
class CpuThreadsTest {
    @Test
    void libtorchGetsTheThreadsAndOpenBlasOne() {
        CpuThreads.use(2);
        assertThat(get_num_threads()).isEqualTo(2);
        assertThat(CpuThreads.blasThreads()).isEqualTo(1);
        CpuThreads.use(1);
        assertThat(get_num_threads()).isEqualTo(1);
        assertThat(CpuThreads.blasThreads()).isEqualTo(1);
    }
}
