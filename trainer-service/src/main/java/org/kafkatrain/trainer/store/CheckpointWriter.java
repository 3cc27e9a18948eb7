package org.kafkatrain.trainer.store;

import org.jboss.logging.Logger;
import org.kafkatrain.contracts.Sha256;
import org.kafkatrain.engine.Checkpoints;
import org.kafkatrain.engine.TorchCheckpointFile;
import org.kafkatrain.engine.Trainer;
import org.kafkatrain.store.CheckpointEntries;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.store.LatestCheckpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a run's checkpoints: the tutorial's dict (model, optimizer, lr_scheduler, loss, epoch) plus what a resume
 * needs (step, offsets, dead letters, the run config), in torch.save's format, to S3, then moves
 * {@code latest.json} to it; epoch checkpoints beyond {@code keepLast} are pruned afterwards.
 */
public final class CheckpointWriter {
    private static final Logger LOG = Logger.getLogger(CheckpointWriter.class);

    private final CheckpointStore store;
    private final String runId;
    private final String trainTopic;
    private final String runJson;
    private final int keepLast;

    /** @param runJson the run's resolved config as JSON, stored in each checkpoint */
    public CheckpointWriter(CheckpointStore store, String runId, String trainTopic, String runJson, int keepLast) {
        this.store = store;
        this.runId = runId;
        this.trainTopic = trainTopic;
        this.runJson = runJson;
        this.keepLast = keepLast;
    }

    /** What a checkpoint of {@code at} holds besides the trainer's tensors, and where it goes. */
    public record Plan(
            String key,
            Map<String, Object> entries,
            Map<String, String> metadata,
            LatestCheckpoint latest,
            ResumePoint stored) {}

    /**
     * @param meanLoss      the epoch's mean train loss so far
     * @param top1          val top-1 % of this epoch (epoch checkpoints only, else null)
     * @param deadLetters   the dead-letter ledger as the checkpoint stores it
     */
    public Plan plan(
            ResumePoint at,
            boolean epochComplete,
            double meanLoss,
            Double top1,
            Double top5,
            CheckpointEntries.DeadLetters deadLetters,
            long now) {
        String key = CheckpointStore.runPrefix(runId)
                + (epochComplete
                        ? String.format("epoch-%04d.tar", at.epoch())
                        : String.format("epoch-%04d-step-%08d.tar", at.epoch(), at.step()));
        Double acc1 = epochComplete ? top1 : null;
        Double acc5 = epochComplete ? top5 : null;
        Double best = at.bestAcc1();
        String bestObject = at.bestObject();
        if (acc1 != null && (best == null || acc1 > best)) {
            best = acc1;
            bestObject = key;
        }
        Map<String, Object> entries = new CheckpointEntries(
                        at.epoch(),
                        epochComplete,
                        at.epochSamples(),
                        at.step(),
                        meanLoss,
                        acc1,
                        acc5,
                        new CheckpointEntries.Offsets(trainTopic, at.runStart(), at.epochStart(), at.epochEnd()),
                        deadLetters,
                        runJson)
                .toDict();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("epoch", Integer.toString(at.epoch()));
        metadata.put("step", Long.toString(at.step()));
        metadata.put("loss", String.format(Locale.ROOT, "%.6f", meanLoss));
        metadata.put("acc1", acc1 == null ? "" : String.format(Locale.ROOT, "%.3f", acc1));
        metadata.put("acc5", acc5 == null ? "" : String.format(Locale.ROOT, "%.3f", acc5));
        LatestCheckpoint latest = new LatestCheckpoint(
                LatestCheckpoint.VERSION,
                runId,
                key,
                at.epoch(),
                epochComplete,
                at.step(),
                meanLoss,
                acc1,
                acc5,
                bestObject,
                best,
                now,
                null);
        return new Plan(key, entries, metadata, latest, at.checkpointed(epochComplete, best, bestObject));
    }

    /** A checkpoint as stored: its bucket, the {@code latest.json} that names it (with its SHA-256), its size. */
    public record Stored(String bucket, LatestCheckpoint latest, long bytes) {}

    /**
     * A planned checkpoint with a copy of the trainer's state in host memory: what the training thread hands over,
     * so that training goes on while the copy is serialized and uploaded.
     */
    public record Snapshot(Plan plan, Map<String, Object> dict) {}

    /**
     * Copies the trainer's tensors (weights, buffers, Adam's moments; from the device when it is a GPU) into a
     * snapshot of {@code plan}. This is the only part of a checkpoint that must run on the training thread: the
     * tensors change at the next optimizer step.
     */
    public Snapshot snapshot(Trainer trainer, Plan plan) {
        return new Snapshot(plan, Checkpoints.toDict(trainer, plan.entries()));
    }

    /**
     * Writes a snapshot: spooled to a local file (its SHA-256 taken on the way), then stored, waiting up to
     * {@code patience} for disk space to spool it and for S3 to take it ({@code onWait} hears of the waits); throws
     * when either has not happened by then.
     */
    public Stored write(Snapshot snapshot, Duration patience, Consumer<String> onWait) throws IOException {
        Plan plan = snapshot.plan();
        Map<String, Object> dict = snapshot.dict();
        CheckpointSpool spool = CheckpointSpool.inTempDir();
        Path dir = spool.dir();
        spool.deleteOrphans();
        Path file = spool.newFile(runId);
        try {
            MessageDigest sha256 = Sha256.digest();
            // A full disk frees up as often as S3 comes back: a partial file is deleted, so it holds no space.
            store.retryPatiently("disk space to spool " + plan.key() + " in " + dir, patience, onWait, () -> {
                sha256.reset();
                try (OutputStream out = new DigestOutputStream(CheckpointSpool.create(file), sha256)) {
                    TorchCheckpointFile.write(dict, out);
                } catch (IOException e) {
                    Files.deleteIfExists(file);
                    throw e;
                }
            });
            String hash = Sha256.hex(sha256);
            LatestCheckpoint latest = plan.latest().withSha256(hash);
            Map<String, String> metadata = new LinkedHashMap<>(plan.metadata());
            metadata.put("sha256", hash);
            long t0 = System.nanoTime();
            store.commitPatiently(runId, plan.key(), file, metadata, latest, patience, onWait);
            long bytes = Files.size(file);
            LOG.infof(
                    "run %s checkpoint %s (%d MB) in %.1f s",
                    runId, plan.key(), bytes >> 20, (System.nanoTime() - t0) / 1e9);
            if (latest.epochComplete()) {
                store.prune(runId, keepLast, latest);
            }
            return new Stored(store.bucket(), latest, bytes);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
