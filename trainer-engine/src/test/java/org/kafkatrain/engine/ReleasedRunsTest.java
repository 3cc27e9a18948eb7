package org.kafkatrain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.Device;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A process that trains one run after another (the trainer service) holds no run's model once it has ended: five
 * ResNet-50 trainers made, stepped and let go in turn leave the process's resident memory near where the second left
 * it, instead of one model, its gradients and Adam's state (about 380 MB) more per run.
 */
class ReleasedRunsTest {
    private static final long ONE_RUN = 4L * 23_528_522 * Float.BYTES; // weights, gradients, exp_avg, exp_avg_sq

    @Test
    void theNativeMemoryOfEndedRunsGoesBack() throws Exception {
        NativeRuntime.prepare(2);
        // The level is taken after two runs: in the module's suite, after other tests, resident memory still grew by
        // 348 MB from the first run to the fifth, less than one run's worth, as the allocator's arenas settle.
        // Without the release each run adds its 359 MB: 1436 MB over five runs.
        long settled = 0;
        for (int run = 0; run < 5; run++) {
            trainOneStepAndLetGo();
            NativeRuntime.releaseUnreferenced();
            if (run == 1) {
                settled = residentBytes();
            }
        }
        long growth = residentBytes() - settled;
        assertThat(growth)
                .as(
                        "resident memory grew by %d MB over three more runs (one run holds %d MB)",
                        growth >> 20, ONE_RUN >> 20)
                .isLessThan(ONE_RUN);
    }

    private static void trainOneStepAndLetGo() {
        Device device = DeviceChoice.select("cpu");
        Trainer trainer = new Trainer(10, Hyperparameters.defaults().withBatch(8, 28), device);
        byte[] pixels = new byte[8 * 28 * 28];
        new Random(1).nextBytes(pixels);
        trainer.trainStep(new Batch(pixels, new long[] {0, 1, 2, 3, 4, 5, 6, 7}, 28, 28, 1, 0));
    }

    private static long residentBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
