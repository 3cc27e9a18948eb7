package org.kafkatrain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A trainer written to the torch.save format and read back continues exactly where the original is. */
class CheckpointRoundTripTest {
    private static final Device CPU = new Device(DeviceType.CPU);

    @Test
    void restoredTrainerMatchesTheOriginalBitForBit() throws IOException {
        CpuThreads.use(2);
        Hyperparameters hp = Hyperparameters.defaults();
        Trainer original = new Trainer(10, hp, CPU);
        original.trainStep(batch(1));
        original.trainStep(batch(2));
        original.endEpoch();

        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("epoch", 0L);
        extra.put("loss", 1.5);
        extra.put("offsets", Map.of("images.train-0", 42L));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        TorchCheckpointFile.write(Checkpoints.toDict(original, extra), file);
        // Left for tools/check_checkpoint.py, which opens it with PyTorch's own torch.load.
        java.nio.file.Files.write(java.nio.file.Path.of("target", "roundtrip-checkpoint.tar"), file.toByteArray());

        Map<String, Object> read = TorchCheckpointFile.read(new ByteArrayInputStream(file.toByteArray()));
        assertThat(read).containsKeys("model", "optimizer", "lr_scheduler", "epoch", "loss", "offsets");
        assertThat(read.get("loss")).isEqualTo(1.5);
        assertThat(read.get("offsets")).isEqualTo(Map.of("images.train-0", 42L));

        Trainer restored = new Trainer(10, hp.withSeed(7L), CPU);
        Checkpoints.restore(restored, read);

        assertSameState(original, restored);
        assertThat(restored.optimizer().stepCount()).isEqualTo(2);
        assertThat(restored.schedule().lastEpoch()).isEqualTo(1);

        BatchResult a = original.trainStep(batch(3));
        BatchResult b = restored.trainStep(batch(3));
        assertThat(b).isEqualTo(a);
        assertSameState(original, restored);
    }

    private static void assertSameState(Trainer a, Trainer b) {
        Map<String, org.bytedeco.pytorch.Tensor> sa = StateDict.of(a.model());
        Map<String, org.bytedeco.pytorch.Tensor> sb = StateDict.of(b.model());
        for (String name : sa.keySet()) {
            assertThat(Tensors.toData(sb.get(name)).data())
                    .as(name)
                    .isEqualTo(Tensors.toData(sa.get(name)).data());
        }
        List<org.bytedeco.pytorch.Tensor> ma = a.optimizer().expAvgSq();
        List<org.bytedeco.pytorch.Tensor> mb = b.optimizer().expAvgSq();
        for (int i = 0; i < ma.size(); i++) {
            assertThat(Tensors.toData(mb.get(i)).data())
                    .isEqualTo(Tensors.toData(ma.get(i)).data());
        }
    }

    static Batch batch(long seed) {
        Random random = new Random(seed);
        int n = 4;
        byte[] pixels = new byte[n * 32 * 32];
        random.nextBytes(pixels);
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(10);
        }
        return new Batch(pixels, labels, 32, 32, 1, 0);
    }
}
