package org.kafkatrain.trainer.run;

import org.jboss.logging.Logger;
import org.kafkatrain.contracts.runs.RunConfig;
import org.kafkatrain.contracts.runs.RunMode;
import org.kafkatrain.contracts.runs.RunState;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.engine.ShuffleBuffer;
import org.kafkatrain.engine.Trainer;
import org.kafkatrain.trainer.data.BatchFeed;
import org.kafkatrain.trainer.data.BatchShape;
import org.kafkatrain.trainer.data.EpochBatches;
import org.kafkatrain.trainer.data.EpochSpan;
import org.kafkatrain.trainer.data.ImageSource;
import org.kafkatrain.trainer.events.StepEventListener;
import org.kafkatrain.trainer.loop.EpochMeter;
import org.kafkatrain.trainer.loop.PeriodicCheckpoints;
import org.kafkatrain.trainer.loop.TrainingLoop;
import org.kafkatrain.trainer.store.CheckpointWriter;
import org.kafkatrain.trainer.store.ResumePoint;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One training run on its own thread: the tutorial's epoch loop (train, evaluate, StepLR step, checkpoint) fed from
 * Kafka, resumed from the run's last checkpoint when it has one. Step events, metrics, periodic checkpoints and the
 * status are listeners of the {@link TrainingLoop}.
 */
final class TrainingRun implements Runnable {
    private static final Logger LOG = Logger.getLogger(TrainingRun.class);

    private final RunConfig config;
    private final TrainerServices services;
    private final RunStatusBoard board;
    private volatile boolean stopRequested;
    private volatile RunSetup setup;

    TrainingRun(RunConfig config, TrainerServices services) {
        this.config = config;
        this.services = services;
        this.board = new RunStatusBoard(
                config.runId(),
                config.epochs(),
                config.lr(),
                () -> setup == null ? 0 : setup.ledger().rejected());
    }

    RunConfig config() {
        return config;
    }

    RunStatus status() {
        RunStatus s = board.current();
        return stopRequested && s.state().active() ? s.withState(RunState.STOPPING) : s;
    }

    /** Graceful stop: the current step finishes, a checkpoint is written, the run ends STOPPED. */
    void requestStop() {
        stopRequested = true;
    }

    @Override
    public void run() {
        try {
            setup = RunSetup.prepare(config, services);
            Trainer trainer = setup.trainer();
            CheckpointWriter writer = new CheckpointWriter(
                    services.store(), config.runId(), config.trainTopic(), services.json(config), config.keepLast());
            ResumePoint position = setup.position();
            board.running(
                    position.epoch(),
                    position.step(),
                    position.epochSamples(),
                    setup.samplesPerEpoch(config),
                    trainer.lr(),
                    setup.resumedFrom().map(l -> l.object()).orElse(null),
                    setup.resumedFrom().map(l -> l.acc1()).orElse(null),
                    setup.resumedFrom().map(l -> l.acc5()).orElse(null));
            TrainingLoop loop = new TrainingLoop(
                    trainer::trainStep,
                    trainer::evalBatch,
                    trainer::lr,
                    List.of(
                            board,
                            new StepEventListener(config.runId(), setup.ledger()::rejected, services.steps()::publish),
                            services.metrics().listener(config.runId(), setup.ledger()::rejected),
                            new PeriodicCheckpoints(
                                    config.checkpointEvery(),
                                    () -> stopRequested,
                                    (at, meter) -> checkpoint(writer, at, false, meter, null))),
                    () -> stopRequested);
            BatchShape shape = new BatchShape(
                    config.batchSize(),
                    setup.manifest().height(),
                    setup.manifest().width(),
                    setup.manifest().channels());
            for (int epoch = position.epoch(); epoch < config.epochs(); epoch++) {
                if (epoch == position.epoch() && position.epochComplete()) {
                    continue; // the checkpoint closed this epoch: go on with the next
                }
                position = epochStart(epoch, position);
                board.epochStarted(epoch, position.epochSamples());
                AtomicReference<Map<Integer, Long>> reached = new AtomicReference<>(position.epochEnd());
                long seed = ShuffleBuffer.epochSeed(config.seed(), epoch);
                EpochSpan span = new EpochSpan(
                        position.epochStart(), position.epochEnd(), config.epochSamples(), position.epochSamples());
                TrainingLoop.TrainResult trained;
                try (BatchFeed feed = EpochBatches.train(
                        setup.sources(),
                        config.runId() + "-train",
                        config.trainTopic(),
                        span,
                        shape,
                        config.shuffleBuffer(),
                        seed,
                        config.augment(),
                        reached::set)) {
                    trained = loop.train(position, feed);
                    LOG.infof(
                            "run %s epoch %d: %d samples, loss %.4f, top-1 %.2f%%, waited %.1f s for data",
                            config.runId(),
                            epoch,
                            trained.position().epochSamples(),
                            trained.meter().meanLoss(),
                            orZero(trained.meter().top1()),
                            feed.waitSeconds());
                }
                position = trained.position().endedAt(reached.get());
                if (trained.stopped()) {
                    checkpoint(writer, position, false, trained.meter(), null);
                    board.ended(RunState.STOPPED);
                    return;
                }
                EpochMeter val;
                try (BatchFeed feed = EpochBatches.eval(
                        setup.sources(),
                        config.runId() + "-val",
                        config.valTopic(),
                        shape.withBatchSize(config.evalBatchSize()),
                        config.maxEvalSamples() > 0 ? config.maxEvalSamples() : Long.MAX_VALUE)) {
                    val = loop.evaluate(position, feed);
                }
                LOG.infof(
                        "run %s epoch %d val: %d samples, loss %.4f, top-1 %.2f%%, top-5 %.2f%%",
                        config.runId(), epoch, val.samples(), val.meanLoss(), orZero(val.top1()), orZero(val.top5()));
                trainer.endEpoch();
                position = checkpoint(writer, position, true, trained.meter(), val);
                if (stopRequested) {
                    board.ended(RunState.STOPPED);
                    return;
                }
            }
            board.ended(RunState.FINISHED);
            LOG.infof("run %s finished after %d epochs, step %d", config.runId(), config.epochs(), position.step());
        } catch (Throwable t) {
            LOG.errorf(t, "run %s failed", config.runId());
            board.failed(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
    }

    /** Where epoch {@code epoch} starts: the checkpoint's own span when resuming inside it, else fresh offsets. */
    private ResumePoint epochStart(int epoch, ResumePoint position) {
        if (epoch == position.epoch() && position.midEpoch()) {
            return position; // samples it already trained are read again, in the same order, and skipped
        }
        boolean continuous = config.mode() == RunMode.CONTINUOUS;
        Map<Integer, Long> start =
                continuous && position.epochEnd() != null ? position.epochEnd() : position.runStart();
        try (ImageSource source = setup.sources().open(config.runId() + "-offsets", config.trainTopic())) {
            return position.inEpoch(epoch, 0, position.step(), start, continuous ? null : source.end());
        }
    }

    /** Writes a checkpoint and moves latest.json to it; an S3 failure is reported and training goes on. */
    private ResumePoint checkpoint(
            CheckpointWriter writer, ResumePoint at, boolean epochComplete, EpochMeter train, EpochMeter val) {
        double meanLoss =
                train.samples() > 0 ? train.meanLoss() : orZero(board.current().loss());
        CheckpointWriter.Plan plan = writer.plan(
                at,
                epochComplete,
                meanLoss,
                val == null ? null : val.top1(),
                val == null ? null : val.top5(),
                setup.ledger().toCheckpoint(),
                System.currentTimeMillis());
        try {
            writer.write(setup.trainer(), plan);
            board.checkpointed(plan.key());
            return plan.stored();
        } catch (IOException e) {
            String message = "checkpoint " + plan.key() + " failed: " + e.getMessage();
            board.problem(message);
            services.metrics().checkpointFailed(config.runId());
            LOG.errorf(
                    e,
                    "run %s: %s; training goes on, latest.json still names %s",
                    config.runId(),
                    message,
                    board.current().lastCheckpoint());
            return at;
        }
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
