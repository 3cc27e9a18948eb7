package org.kafkatrain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.Device;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.Precision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Training steps stop faulting their memory in afresh once glibc keeps what a step frees: the process's minor page
 * faults per step, on a thread of its own as the trainer's run thread, before and after {@link GlibcMalloc}. Nothing
 * else in this module's tests sets the allocator, so the first half measures glibc's defaults.
 * <p>
 * bf16 + channels_last, the trainer's fastest setting: with ATen and oneDNN held to AVX2, an fp32 step went on
 * faulting about 14,000 pages after the change (and with glibc's mmap turned off altogether), so there those faults
 * come from elsewhere than glibc's trimming, and an fp32 variant of this test would not measure the allocator.
 */
class GlibcMallocTest {
    private static final int STEPS = 8;

    @Test
    void stepsReuseTheMemoryTheirPredecessorsFreed() throws Exception {
        CpuThreads.use(2);
        Device device = DeviceChoice.select("cpu");
        Trainer trainer = new Trainer(
                10,
                Hyperparameters.defaults().withBatch(32, 28),
                device,
                new ComputeOptions(Precision.BF16, true, AdamKernel.FUSED));
        List<Batch> batches = new ArrayList<>();
        Random random = new Random(3);
        BatchAssembler assembler = new BatchAssembler(32, 28, 28, 1, null, batches::add);
        for (int i = 0; batches.isEmpty(); i++) {
            byte[] pixels = new byte[28 * 28];
            random.nextBytes(pixels);
            assembler.add(pixels, random.nextInt(10), i, i);
        }
        Batch batch = batches.get(0);

        long defaults = faultsPerStep(trainer, batch);
        assertThat(GlibcMalloc.keepFreedMemory()).isTrue();
        long kept = faultsPerStep(trainer, batch);
        System.out.printf("minor faults per step: glibc defaults %d, freed memory kept %d%n", defaults, kept);

        assertThat(kept).isLessThan(defaults / 4);
    }

    /** Two steps to settle, then the faults of {@link #STEPS} more, per step, on a fresh thread. */
    private static long faultsPerStep(Trainer trainer, Batch batch) throws InterruptedException {
        AtomicLong perStep = new AtomicLong();
        Thread run = new Thread(() -> {
            trainer.trainStep(batch);
            trainer.trainStep(batch);
            long before = minorFaults();
            for (int i = 0; i < STEPS; i++) {
                trainer.trainStep(batch);
            }
            perStep.set((minorFaults() - before) / STEPS);
        });
        run.start();
        run.join();
        return perStep.get();
    }

    /** The process's minor faults, field 10 of {@code /proc/self/stat} (the 8th after the command's parenthesis). */
    private static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
