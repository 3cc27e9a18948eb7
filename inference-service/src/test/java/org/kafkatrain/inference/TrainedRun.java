package org.kafkatrain.inference;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.kafkatrain.contracts.CheckpointEvent;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.Sha256;
import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.RunField;
import org.kafkatrain.contracts.runs.RunRequest;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunSpecs;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.BatchResult;
import org.kafkatrain.engine.Checkpoints;
import org.kafkatrain.engine.Hyperparameters;
import org.kafkatrain.engine.TorchCheckpointFile;
import org.kafkatrain.engine.Trainer;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.store.LatestCheckpoint;
import org.kafkatrain.store.RunDocument;
import org.kafkatrain.testing.FashionMnist;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run as the trainer leaves it in S3, made with the training engine itself: a ResNet-50 trained a few steps on
 * Fashion-MNIST, evaluated on val images with the trainer's own {@link Trainer#evalBatch}, and stored as the trainer
 * stores it (run.json, a torch.save checkpoint with its SHA-256 in the object metadata, latest.json last).
 */
final class TrainedRun {
    static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    static final int BATCH = 32;

    final String runId;
    final Trainer trainer;
    final FashionMnist train;
    final FashionMnist val;
    private int trained;

    TrainedRun(String runId) throws IOException {
        this.runId = runId;
        Hyperparameters hp = Hyperparameters.defaults().withBatch(BATCH, FashionMnist.SIDE);
        trainer = new Trainer(CLASSES.size(), hp, new Device(DeviceType.CPU));
        train = FashionMnist.load("train");
        val = FashionMnist.load("t10k");
    }

    /** {@code steps} more optimizer steps on the next train images. */
    void train(int steps) {
        for (int s = 0; s < steps; s++) {
            trainer.trainStep(batch(train, trained, BATCH));
            trained += BATCH;
        }
    }

    /** Top-1 hits of the trainer's evaluation on val images [0, n). */
    long evalTop1(int n) {
        long hits = 0;
        for (int at = 0; at < n; at += 50) {
            BatchResult r = trainer.evalBatch(batch(val, at, Math.min(50, n - at)));
            hits += r.correct1();
        }
        return hits;
    }

    /** Stores the trainer's state as epoch {@code epoch}'s checkpoint and moves latest.json to it. */
    CheckpointEvent store(CheckpointStore store, int epoch, Double acc1, Path dir) throws IOException {
        long step = trainer.optimizer().stepCount();
        String key = CheckpointStore.runPrefix(runId) + String.format("epoch-%04d.tar", epoch);
        if (store.runDocument(runId).isEmpty()) {
            store.writeRunDocument(RunDocument.started(spec(), manifest(), Map.of(0, 0L), null));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("epoch", (long) epoch);
        extra.put("epoch_complete", true);
        extra.put("step", step);
        extra.put("loss", 1.0);
        extra.put("acc1", acc1);
        extra.put("acc5", null);
        Path file = dir.resolve(runId + "-" + epoch + ".tar");
        MessageDigest sha = Sha256.digest();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
            TorchCheckpointFile.write(Checkpoints.toDict(trainer, extra), out);
        }
        String hash = Sha256.hex(sha);
        long now = System.currentTimeMillis();
        LatestCheckpoint latest =
                new LatestCheckpoint(1, runId, key, epoch, true, step, 1.0, acc1, null, key, acc1, now, hash);
        store.commit(runId, key, file, Map.of("epoch", Integer.toString(epoch), "sha256", hash), latest);
        return new CheckpointEvent(
                CheckpointEvent.VERSION,
                runId,
                store.bucket(),
                key,
                epoch,
                true,
                step,
                1.0,
                acc1,
                null,
                key,
                CLASSES,
                FashionMnist.SIDE,
                FashionMnist.SIDE,
                1,
                hash,
                Files.size(file),
                now);
    }

    /** The run's spec as the trainer would resolve it, with the engine's hyperparameters (mean and std matter). */
    private RunSpec spec() {
        Hyperparameters hp = trainer.hyperparameters();
        RunRequest request = RunRequest.forRun(runId)
                .with(RunField.DATASET, "fashion-mnist")
                .with(RunField.LR, hp.lr())
                .with(RunField.BATCH_SIZE, hp.batchSize())
                .with(RunField.SEED, hp.seed())
                .with(RunField.MEAN, hp.mean())
                .with(RunField.STD, hp.std())
                .with(RunField.DEVICE, "cpu");
        return RunSpecs.resolve(
                request, new RunSpecs.Deployment("images.train", "images.val", "cpu", AdamKernel.FUSED));
    }

    private static DatasetManifest manifest() {
        return new DatasetManifest(
                DatasetManifest.VERSION,
                "fashion-mnist",
                CLASSES,
                FashionMnist.SIDE,
                FashionMnist.SIDE,
                1,
                FashionMnist.DIR.toString(),
                Map.of(),
                System.currentTimeMillis(),
                Map.of());
    }

    static Batch batch(FashionMnist images, int from, int n) {
        int size = FashionMnist.SIDE * FashionMnist.SIDE;
        byte[] pixels = new byte[n * size];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(images.pixels(from + i), 0, pixels, i * size, size);
            labels[i] = images.label(from + i);
        }
        return new Batch(pixels, labels, FashionMnist.SIDE, FashionMnist.SIDE, 1, 0);
    }
}
