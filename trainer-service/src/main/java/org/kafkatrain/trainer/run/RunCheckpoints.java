package org.kafkatrain.trainer.run;

import org.jboss.logging.Logger;
import org.kafkatrain.contracts.CheckpointEvent;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.store.LatestCheckpoint;
import org.kafkatrain.trainer.events.TrainerMetrics;
import org.kafkatrain.trainer.loop.EpochMeter;
import org.kafkatrain.trainer.store.CheckpointUploads;
import org.kafkatrain.trainer.store.CheckpointWriter;
import org.kafkatrain.trainer.store.ResumePoint;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A run's checkpoints as its loop takes them: planned by the {@link CheckpointWriter}, the trainer's state copied on
 * the training thread, then serialized and uploaded in the background ({@link CheckpointUploads}) while training goes
 * on; reported on the status board and announced once stored. A mid-epoch checkpoint that S3 does not take is
 * reported and counted and training goes on ({@code latest.json} then still names the previous checkpoint); an
 * epoch's or a stop's fails the run, at the next checkpoint or at the run's end, which waits for it.
 */
final class RunCheckpoints implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RunCheckpoints.class);

    private final String runId;
    private final CheckpointWriter writer;
    private final RunSetup setup;
    private final RunStatusBoard board;
    private final TrainerMetrics metrics;
    private final Duration patience;
    private final Consumer<CheckpointEvent> announce;
    private final CheckpointUploads uploads;
    private final boolean writes;

    /**
     * @param patience how long an epoch checkpoint waits for S3 before the run fails
     * @param announce hears of each checkpoint once it is stored and {@code latest.json} names it
     * @param writes   false on a replica other than rank 0: its state is rank 0's, which stores it
     */
    RunCheckpoints(
            String runId,
            CheckpointWriter writer,
            RunSetup setup,
            RunStatusBoard board,
            TrainerMetrics metrics,
            Duration patience,
            Consumer<CheckpointEvent> announce,
            boolean writes) {
        this.writes = writes;
        this.patience = patience;
        this.announce = announce;
        this.runId = runId;
        this.writer = writer;
        this.setup = setup;
        this.board = board;
        this.metrics = metrics;
        this.uploads = new CheckpointUploads(runId);
    }

    /**
     * Takes a checkpoint of {@code at}: waits for the previous upload, copies the trainer's state, and leaves the
     * rest to the upload thread.
     *
     * @param train the epoch's train sums in this process (the loss stored is their mean)
     * @param val   the epoch's evaluation, for an epoch checkpoint; null mid-epoch
     * @param wait  whether the run waits for S3 (an epoch's end, a stop) rather than going on without it
     * @return the position as it will be stored
     * @throws IllegalStateException when an earlier checkpoint that waits for S3 could not be stored within the
     *     patience: the run must not go on (or report FINISHED, or STOPPED) without it
     */
    ResumePoint save(ResumePoint at, boolean epochComplete, EpochMeter train, EpochMeter val, boolean wait) {
        awaitStored();
        Double lastLoss = board.current().loss();
        double meanLoss = train.samples() > 0 ? train.meanLoss() : lastLoss == null ? 0 : lastLoss;
        CheckpointWriter.Plan plan = writer.plan(
                at,
                epochComplete,
                meanLoss,
                val == null ? null : val.top1(),
                val == null ? null : val.top5(),
                setup.ledger().toCheckpoint(),
                System.currentTimeMillis());
        if (!writes) {
            return plan.stored();
        }
        long t0 = System.nanoTime();
        CheckpointWriter.Snapshot snapshot = writer.snapshot(setup.trainer(), plan);
        double stall = (System.nanoTime() - t0) / 1e9;
        metrics.checkpointStall(runId, stall);
        try {
            uploads.submit(() -> upload(snapshot, wait, stall));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before checkpoint " + plan.key() + " was stored", e);
        }
        return plan.stored();
    }

    /**
     * Returns once the checkpoint in flight, if any, is stored.
     *
     * @throws IllegalStateException when it was one that waits for S3 and S3 did not take it
     */
    void awaitStored() {
        try {
            uploads.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a checkpoint was being stored", e);
        }
    }

    /** Waits for the checkpoint in flight: a run that fails for another reason still stores what it had. */
    @Override
    public void close() throws InterruptedException {
        uploads.close();
    }

    /** On the upload thread. */
    private Void upload(CheckpointWriter.Snapshot snapshot, boolean wait, double stall) {
        CheckpointWriter.Plan plan = snapshot.plan();
        long t0 = System.nanoTime();
        try {
            CheckpointWriter.Stored stored = writer.write(snapshot, wait ? patience : Duration.ZERO, waiting -> {
                LOG.warnf("run %s: %s", runId, waiting);
                board.problem(waiting);
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            metrics.checkpointUpload(runId, seconds);
            LOG.infof(
                    "run %s checkpoint %s: %.2f s on the training thread, %.1f s to write and upload behind it",
                    runId, plan.key(), stall, seconds);
            board.checkpointed(plan.key());
            announce.accept(event(stored));
        } catch (IOException e) {
            metrics.checkpointFailed(runId);
            if (wait) {
                throw new IllegalStateException(
                        "checkpoint " + plan.key() + " could not be stored: " + e.getMessage()
                                + "; the run stops here and resumes from "
                                + board.current().lastCheckpoint() + " when POSTed again",
                        e);
            }
            String message = "checkpoint " + plan.key() + " failed: " + e.getMessage();
            board.problem(message);
            LOG.errorf(
                    e,
                    "run %s: %s; training goes on, latest.json still names %s",
                    runId,
                    message,
                    board.current().lastCheckpoint());
        }
        return null;
    }

    private CheckpointEvent event(CheckpointWriter.Stored stored) {
        LatestCheckpoint latest = stored.latest();
        DatasetManifest manifest = setup.manifest();
        return new CheckpointEvent(
                CheckpointEvent.VERSION,
                runId,
                stored.bucket(),
                latest.object(),
                latest.epoch(),
                latest.epochComplete(),
                latest.step(),
                latest.loss(),
                latest.acc1(),
                latest.acc5(),
                latest.best(),
                manifest.classes(),
                manifest.height(),
                manifest.width(),
                manifest.channels(),
                latest.sha256(),
                stored.bytes(),
                latest.writtenAt());
    }
}
