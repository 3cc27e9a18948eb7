package org.kafkatrain.inference.model;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bytedeco.pytorch.Device;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.Sha256;
import org.kafkatrain.engine.DeviceChoice;
import org.kafkatrain.engine.Predictor;
import org.kafkatrain.engine.TorchCheckpointFile;
import org.kafkatrain.inference.config.InferenceConfig;
import org.kafkatrain.store.CheckpointEntries;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.store.RunDocument;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Loads a run's checkpoint from S3 into a {@link Predictor}: the object the request names (latest, best, or a file),
 * the run's classes, input shape and normalization from its {@code run.json}, the download checked against the
 * SHA-256 the trainer recorded.
 */
@ApplicationScoped
public class ModelLoader {
    private static final Logger LOG = Logger.getLogger(ModelLoader.class);

    @Inject
    CheckpointStore store;

    @Inject
    InferenceConfig config;

    private volatile Device device;

    /** @param which {@link CheckpointStore#LATEST}, {@link CheckpointStore#BEST} or an object name of the run ({@code epoch-0003.tar}) */
    public ServedModel load(String runId, String which) throws IOException {
        String object;
        try {
            object = store.checkpointKey(runId, which);
        } catch (IllegalArgumentException e) {
            throw new UnknownModelException(e.getMessage());
        }
        return load(runId, object, store.metadata(object).orElse(Map.of()).get("sha256"));
    }

    /**
     * @param object         the checkpoint's key
     * @param expectedSha256 what the download must hash to; null when the trainer recorded no hash
     */
    public ServedModel load(String runId, String object, String expectedSha256) throws IOException {
        long t0 = System.nanoTime();
        RunDocument run = store.runDocument(runId)
                .orElseThrow(() -> new UnknownModelException("run " + runId + " has no run.json"));
        DatasetManifest dataset = run.dataset();
        if (dataset == null) {
            throw new UnknownModelException("run " + runId + "'s run.json names no dataset");
        }
        MessageDigest sha256 = Sha256.digest();
        Map<String, Object> checkpoint;
        try (InputStream in = new DigestInputStream(store.open(object), sha256)) {
            checkpoint = TorchCheckpointFile.read(in);
        }
        String actual = Sha256.hex(sha256);
        if (expectedSha256 != null && !expectedSha256.isEmpty() && !expectedSha256.equals(actual)) {
            throw new IOException("checkpoint " + object + " hashes to " + actual + ", the trainer recorded "
                    + expectedSha256 + ": refusing a corrupt or replaced object");
        }
        Predictor predictor = new Predictor(
                checkpoint,
                dataset.classes().size(),
                run.spec().data().mean(),
                run.spec().data().std(),
                device());
        CheckpointEntries entries = CheckpointEntries.fromDict(checkpoint);
        if (entries == null) {
            throw new IOException(object + " is not a kafka-train checkpoint (no offsets, epoch or step in it)");
        }
        ModelInfo info = new ModelInfo(
                runId,
                object,
                entries.epoch(),
                entries.epochComplete(),
                entries.step(),
                entries.acc1(),
                entries.acc5(),
                actual,
                dataset.classes(),
                dataset.height(),
                dataset.width(),
                dataset.channels(),
                run.spec().data().mean(),
                run.spec().data().std(),
                System.currentTimeMillis());
        LOG.infof(
                "loaded %s (run %s, epoch %d, step %d, %d classes) in %.1f s",
                object, runId, info.epoch(), info.step(), info.classes().size(), (System.nanoTime() - t0) / 1e9);
        return new ServedModel(info, predictor);
    }

    private Device device() {
        if (device == null) {
            device = DeviceChoice.select(config.device());
        }
        return device;
    }
}
