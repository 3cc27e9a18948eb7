package org.kafkatrain.trainer.run;

import org.jboss.logging.Logger;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunState;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.engine.NativeRuntime;
import org.kafkatrain.trainer.data.BatchFeed;
import org.kafkatrain.trainer.data.DeadLetterLedger;
import org.kafkatrain.trainer.data.IntakeTally;
import org.kafkatrain.trainer.events.StepEventListener;
import org.kafkatrain.trainer.loop.EpochMeter;
import org.kafkatrain.trainer.loop.PeriodicCheckpoints;
import org.kafkatrain.trainer.loop.TrainingListener;
import org.kafkatrain.trainer.loop.TrainingLoop;
import org.kafkatrain.trainer.replica.RunReplicas;
import org.kafkatrain.trainer.store.CheckpointWriter;
import org.kafkatrain.trainer.store.ResumePoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * One training run on its own thread: the tutorial's epoch loop (train, evaluate, StepLR step, checkpoint) fed from
 * Kafka, resumed from the run's last checkpoint when it has one. Step events, metrics, periodic checkpoints and the
 * status are listeners of the {@link TrainingLoop}.
 */
final class TrainingRun implements Runnable {
    private static final Logger LOG = Logger.getLogger(TrainingRun.class);

    private final RunSpec config;
    private final TrainerServices services;
    private final RunStatusBoard board;
    private final Runnable onEnd;
    private volatile boolean stopRequested;
    private volatile RunSetup setup;
    /** The setup's dead-letter count, kept for the status of an ended run, whose setup is let go. */
    private volatile DeadLetterLedger ledger;

    private volatile String device;
    private final RunReplicas replicas;

    /**
     * @param forwarded the run came from rank 0 of its group, not from a client
     * @param onEnd     called on the run's thread once it has ended, whichever way
     * @throws IllegalArgumentException when this trainer cannot take part in the run (its rank is not the run's)
     */
    TrainingRun(RunSpec config, TrainerServices services, boolean forwarded, Runnable onEnd) {
        this.config = config;
        this.services = services;
        this.onEnd = onEnd;
        this.device = config.compute().device();
        this.board = new RunStatusBoard(
                config.runId(),
                config.epochs(),
                config.optimization().lr(),
                () -> ledger == null ? 0 : ledger.rejected());
        this.replicas = RunReplicas.of(
                config, services.config().replicas(), services.peers(), forwarded, () -> stopRequested, board::current);
    }

    RunSpec config() {
        return config;
    }

    RunStatus status() {
        RunStatus s = replicas.status(board.current());
        return stopRequested && s.state().active() ? s.withState(RunState.STOPPING) : s;
    }

    /** The device the run trains on: its config's, or the GPU the manager gave it among several. */
    String device() {
        return device;
    }

    /** Called before the run's thread starts. */
    void startOn(String chosenDevice) {
        this.device = chosenDevice;
    }

    /** A queued run that will not start: it ends STOPPED without having trained. */
    void cancel() {
        board.problem("cancelled while queued");
        board.ended(RunState.STOPPED);
    }

    /** Graceful stop: the current step finishes, a checkpoint is written, the run ends STOPPED. */
    void requestStop() {
        stopRequested = true;
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            setup = RunSetup.prepare(config, device, services, replicas.stripe(), waiting -> {
                LOG.warnf("run %s: %s", config.runId(), waiting);
                board.problem(waiting);
            });
            ledger = setup.ledger();
            board.running(
                    setup.position(),
                    setup.samplesPerEpoch(config),
                    setup.trainer().lr(),
                    setup.resumedFrom());
            replicas.start(setup.trainer(), setup.position(), board::problem);
            try (RunCheckpoints checkpoints = new RunCheckpoints(
                    config.runId(),
                    new CheckpointWriter(
                            services.store(),
                            config.runId(),
                            config.data().trainTopic(),
                            services.json(config),
                            config.checkpointing().keepLast()),
                    setup,
                    board,
                    services.metrics(),
                    services.config().checkpointPatience(),
                    services.checkpointEvents()::publish,
                    replicas.leads())) {
                train(checkpoints);
            }
        } catch (Throwable t) {
            failure = t;
            LOG.errorf(t, "run %s failed", config.runId());
            board.failed(t.getClass().getSimpleName() + ": " + t.getMessage());
        } finally {
            replicas.close(failure);
            // An ended run keeps its status, not its model: the manager lists ended runs for as long as it lives
            setup = null;
            NativeRuntime.releaseUnreferenced();
            onEnd.run();
        }
    }

    /**
     * The epochs, from where the setup left the run; ends the board when they are done or a stop came. The steps
     * go through the run's replicas: this process's own, or the group's in lockstep, where only the leader sends
     * step events and metrics and writes checkpoints.
     */
    private void train(RunCheckpoints checkpoints) throws InterruptedException {
        BooleanSupplier stop = replicas::stopped;
        PeriodicCheckpoints periodic = new PeriodicCheckpoints(
                config.checkpointing().every(), stop, (at, meter) -> checkpoints.save(at, false, meter, null, false));
        List<TrainingListener> listeners = new ArrayList<>(List.of(board));
        if (replicas.leads()) {
            listeners.add(new StepEventListener(config.runId(), setup.ledger()::rejected, services.steps()::publish));
            listeners.add(services.metrics().listener(config.runId(), setup.ledger()::rejected));
            listeners.add(periodic);
        }
        listeners.addAll(replicas.listeners());
        TrainingLoop loop = new TrainingLoop(
                replicas::train,
                replicas::evaluate,
                setup.trainer()::lr,
                listeners,
                stop,
                services.config().syncEvery(),
                periodic::due);
        ResumePoint position = setup.position();
        for (int epoch = position.epoch(); epoch < config.epochs(); epoch++) {
            if (epoch == position.epoch() && position.epochComplete()) {
                continue; // the checkpoint closed this epoch: go on with the next
            }
            setup.trainer().freezeBackbone(epoch < config.start().freezeEpochs());
            position = setup.epochStart(config, epoch, position);
            board.epochStarted(epoch, position.epochSamples());
            AtomicReference<Map<Integer, Long>> reached = new AtomicReference<>(position.epochEnd());
            IntakeTally.Count intakeBefore = setup.intake().of(config.data().trainTopic());
            TrainingLoop.TrainResult trained;
            try (BatchFeed feed = setup.trainFeed(config, position, reached::set)) {
                trained = loop.train(position, replicas.paced(feed, setup.shape(1), true));
                LOG.infof(
                        "run %s epoch %d: %d samples, loss %.4f, waited %.1f s for data",
                        config.runId(),
                        epoch,
                        trained.position().epochSamples(),
                        trained.meter().meanLoss(),
                        feed.waitSeconds());
            }
            position = trained.position().endedAt(reached.get());
            if (trained.stopped()) {
                checkpoints.save(position, false, trained.meter(), null, true);
                checkpoints.awaitStored(); // a stop waits for S3 too
                board.ended(RunState.STOPPED);
                return;
            }
            setup.checkIntake(
                    config,
                    epoch,
                    setup.intake().of(config.data().trainTopic()).since(intakeBefore),
                    position.epochSamples(),
                    services.config().maxRejectedShare());
            EpochMeter val;
            try (BatchFeed feed = setup.evalFeed(config)) {
                val = loop.evaluate(position, replicas.paced(feed, setup.shape(1), false));
            }
            LOG.infof(
                    "run %s epoch %d val: %d samples, loss %.4f, top-1 %.2f%%",
                    config.runId(), epoch, val.samples(), val.meanLoss(), Objects.requireNonNullElse(val.top1(), 0.0));
            setup.trainer().endEpoch();
            position = checkpoints.save(position, true, trained.meter(), val, true);
            if (stop.getAsBoolean()) {
                checkpoints.awaitStored();
                board.ended(RunState.STOPPED);
                return;
            }
        }
        checkpoints.awaitStored(); // FINISHED only once the last checkpoint is stored
        board.ended(RunState.FINISHED);
        LOG.infof("run %s finished after %d epochs, step %d", config.runId(), config.epochs(), position.step());
    }
}
