package org.kafkatrain.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.pytorch.global.torch.cuda_is_available;

import org.junit.jupiter.api.Test;

/** Device selection by configuration, on whatever this machine has. */
class DeviceChoiceTest {
    @Test
    void cpuIsAlwaysAvailableAndAutoPicksCudaOnlyWhenPresent() {
        assertThat(DeviceChoice.select("cpu").is_cpu()).isTrue();
        assertThat(DeviceChoice.select("auto").is_cuda()).isEqualTo(cuda_is_available());
    }

    @Test
    void askingForCudaWithoutOneFailsWithTheReason() {
        if (cuda_is_available()) {
            assertThat(DeviceChoice.select("cuda:0").is_cuda()).isTrue();
        } else {
            assertThatThrownBy(() -> DeviceChoice.select("cuda"))
                    .hasMessageContaining("libtorch reports no CUDA device");
        }
    }
}
