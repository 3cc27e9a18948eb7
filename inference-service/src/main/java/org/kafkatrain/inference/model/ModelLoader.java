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
import java.util.Optional;

/**
 * Loads a run's checkpoint from S3 into a {@link Predictor}: the object the request names (latest, best, or a file),
 * the run's classes, input shape and normalization from its {@code run.json}. Only an object of the run itself is
 * loaded, and only one whose SHA-256 the trainer recorded beside it; the download must hash to that.
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
        return load(runId, object, null);
    }

    /**
     * @param object          the checkpoint's key, under {@code runs/<runId>/}
     * @param announcedSha256 the hash a checkpoint event gave, which must be the one the trainer recorded; null
     *                        when no event is involved
     */
    public ServedModel load(String runId, String object, String announcedSha256) throws IOException {
        long t0 = System.nanoTime();
        Optional<String> refusal = CheckpointOrigin.refusal(runId, object);
        if (refusal.isPresent()) {
            throw new IOException("refusing to load " + object + ": " + refusal.get());
        }
        // the hash the trainer stored with the object, not one from an event that anyone could have written
        String recorded = store.metadata(object)
                .orElseThrow(() -> new UnknownModelException("run " + runId + " has no checkpoint " + object))
                .get("sha256");
        if (recorded == null || recorded.isBlank()) {
            throw new IOException("checkpoint " + object
                    + " has no sha256 recorded beside it: refusing an object the trainer did not write");
        }
        if (announcedSha256 != null && !announcedSha256.equals(recorded)) {
            throw new IOException("checkpoint " + object + " was announced with SHA-256 " + announcedSha256
                    + ", the trainer recorded " + recorded);
        }
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
        if (!recorded.equals(actual)) {
            throw new IOException("checkpoint " + object + " hashes to " + actual + ", the trainer recorded " + recorded
                    + ": refusing a corrupt or replaced object");
        }
        CheckpointEntries entries = CheckpointEntries.fromDict(checkpoint);
        if (entries == null) {
            throw new IOException(object + " is not a kafka-train checkpoint (no offsets, epoch or step in it)");
        }
        Predictor predictor = new Predictor(
                checkpoint,
                dataset.classes().size(),
                run.spec().data().mean(),
                run.spec().data().std(),
                device());
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
