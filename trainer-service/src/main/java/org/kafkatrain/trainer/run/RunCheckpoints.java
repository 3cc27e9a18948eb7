package org.kafkatrain.trainer.run;

import org.jboss.logging.Logger;
import org.kafkatrain.contracts.CheckpointEvent;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.store.LatestCheckpoint;
import org.kafkatrain.trainer.events.TrainerMetrics;
import org.kafkatrain.trainer.loop.EpochMeter;
import org.kafkatrain.trainer.store.CheckpointWriter;
import org.kafkatrain.trainer.store.ResumePoint;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A run's checkpoints as its loop takes them: planned and written by the {@link CheckpointWriter}, reported on the
 * status board. An S3 failure is reported and counted and training goes on; {@code latest.json} then still names the
 * previous checkpoint.
 */
final class RunCheckpoints {
    private static final Logger LOG = Logger.getLogger(RunCheckpoints.class);

    private final String runId;
    private final CheckpointWriter writer;
    private final RunSetup setup;
    private final RunStatusBoard board;
    private final TrainerMetrics metrics;
    private final Duration patience;
    private final Consumer<CheckpointEvent> announce;

    /**
     * @param patience how long an epoch checkpoint waits for S3 before the run fails
     * @param announce hears of each checkpoint once it is stored and {@code latest.json} names it
     */
    RunCheckpoints(
            String runId,
            CheckpointWriter writer,
            RunSetup setup,
            RunStatusBoard board,
            TrainerMetrics metrics,
            Duration patience,
            Consumer<CheckpointEvent> announce) {
        this.patience = patience;
        this.announce = announce;
        this.runId = runId;
        this.writer = writer;
        this.setup = setup;
        this.board = board;
        this.metrics = metrics;
    }

    /**
     * @param train the epoch's train sums in this process (the loss stored is their mean)
     * @param val   the epoch's evaluation, for an epoch checkpoint; null mid-epoch
     * @param wait  whether the run waits for S3 (an epoch's end, a stop) rather than going on without it
     * @return the position as stored, or {@code at} unchanged when a checkpoint that does not wait could not be stored
     * @throws IllegalStateException when a waiting checkpoint could not be stored within the patience: the run must
     *     not go on (or report FINISHED, or STOPPED) without it
     */
    ResumePoint save(ResumePoint at, boolean epochComplete, EpochMeter train, EpochMeter val, boolean wait) {
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
        try {
            CheckpointWriter.Stored stored =
                    writer.write(setup.trainer(), plan, wait ? patience : Duration.ZERO, waiting -> {
                        LOG.warnf("run %s: %s", runId, waiting);
                        board.problem(waiting);
                    });
            board.checkpointed(plan.key());
            announce.accept(event(stored));
            return plan.stored();
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
            return at;
        }
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
