package org.kafkatrain.trainer.run;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.DatasetRecords;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.contracts.runs.RunField;
import org.kafkatrain.contracts.runs.RunRequest;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunSpecs;
import org.kafkatrain.contracts.runs.RunState;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.engine.NativeRuntime;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.store.LatestCheckpoint;
import org.kafkatrain.store.RunDocument;
import org.kafkatrain.trainer.config.TrainerConfig;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts, lists and stops runs. At most {@code trainer.max-concurrent-runs} train at once (1 by default: a run takes
 * the whole device); a run started while all slots are taken is QUEUED and starts, in order, when one frees up.
 * Several runs at once share the CPU's threads, or each gets its own GPU when there are several.
 */
@ApplicationScoped
public class RunManager {
    private static final Logger LOG = Logger.getLogger(RunManager.class);

    @Inject
    TrainerServices services;

    @Inject
    TrainerConfig config;

    @Inject
    CheckpointStore store;

    /** How long a shutdown waits, in all, for active runs to finish their step and write their checkpoint. */
    private static final Duration SHUTDOWN_PATIENCE = Duration.ofSeconds(120);

    private final Map<String, TrainingRun> runs = new ConcurrentHashMap<>();
    private final Map<String, Thread> threadsByRun = new ConcurrentHashMap<>();
    /** Runs waiting for a slot, first to start first; guarded by this. */
    private final Deque<TrainingRun> queue = new ArrayDeque<>();

    void onStart(@Observes StartupEvent event) {
        int n = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        NativeRuntime.prepare(n);
        LOG.infof("libtorch intra-op threads: %d", n);
    }

    void onStop(@Observes ShutdownEvent event) {
        // A shutdown (SIGTERM, Ctrl-C) stops runs gracefully: each finishes its step and writes a checkpoint; queued
        // runs never start.
        synchronized (this) {
            queue.forEach(TrainingRun::cancel);
            queue.clear();
        }
        runs.values().stream().filter(r -> r.status().state().active()).forEach(TrainingRun::requestStop);
        long deadline = System.nanoTime() + SHUTDOWN_PATIENCE.toNanos();
        for (Thread t : threadsByRun.values()) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * A new run with the defaults filled in, an existing run (its spec in its run.json) resumed from its checkpoint,
     * or a fork of another run.
     *
     * @param override apply changes to a resumed run's data or model settings (recorded in its run.json)
     */
    public RunStatus start(RunRequest requested, boolean override) throws IOException {
        // The spec is resolved before the manager's lock is taken: reading run.json and the dataset's manifest may
        // wait for S3 or the broker, and status and stop must not wait with them
        String runId = RunSpecs.runId(requested.runId());
        String fromRun = requested.text(RunField.FROM_RUN);
        if (fromRun != null) {
            RunSpecs.runId(fromRun); // part of an S3 key: checked before any is read
        }
        services.initWeights().check(requested.text(RunField.INIT_WEIGHTS));
        Optional<RunDocument> stored = store.runDocument(runId);
        RunSpec spec;
        List<String> overridden = List.of();
        if (stored.isPresent()) {
            RunSpecs.Resumed resumed = RunSpecs.resume(requested, stored.get().spec());
            if (!resumed.refused().isEmpty() && !override) {
                throw new RunConflictException(RunSpecs.refusal(runId, resumed.refused()));
            }
            spec = resumed.spec();
            overridden = resumed.refused();
        } else if (fromRun != null) {
            RunSpec parent = store.runDocument(fromRun)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "fromRun " + fromRun + " has no run.json in bucket " + store.bucket()))
                    .spec();
            spec = RunSpecs.fork(requested, parent);
        } else {
            spec = RunSpecs.resolve(requested, deployment(requested.text(RunField.DATASET)));
        }
        services.initWeights().check(spec.start().initWeights());
        return admit(spec, overridden);
    }

    /**
     * Registers a resolved run and queues it, unless it is live already or the queue is full. The run is made (this
     * trainer's part in it checked) before an override is recorded: a refused start changes nothing.
     */
    private synchronized RunStatus admit(RunSpec spec, List<String> overridden) throws IOException {
        String runId = spec.runId();
        refuseIfLiveOrQueueFull(runId);
        TrainingRun run = new TrainingRun(spec, services, false, this::startQueued);
        if (!overridden.isEmpty()) {
            store.recordOverride(runId, spec, overridden);
            LOG.warnf("run %s resumes with overridden settings: %s", runId, overridden);
        }
        runs.put(runId, run);
        queue.add(run);
        startQueued();
        return status(run);
    }

    /** Guarded by this. */
    private void refuseIfLiveOrQueueFull(String runId) {
        TrainingRun same = runs.get(runId);
        if (same != null && status(same).state().live()) {
            throw new RunConflictException(
                    "run " + runId + " is " + status(same).state() + " already");
        }
        if (queue.size() >= config.maxQueuedRuns() && holdingSlots().size() >= config.maxConcurrentRuns()) {
            throw new RunQueueFullException("this trainer has " + queue.size() + " runs queued already"
                    + " (trainer.max-queued-runs): start this one when one of them has started or been stopped");
        }
        threadsByRun.values().removeIf(t -> !t.isAlive()); // only threads of runs still going are kept
    }

    /**
     * A data-parallel run that rank 0 forwards to this trainer, rank {@code rank} of its group: resolved there, taken
     * as it is here (rank 0 wrote its run.json and any override).
     */
    public synchronized RunStatus startForwarded(RunSpec spec, int rank) {
        String runId = RunSpecs.runId(spec.runId());
        if (rank != config.replicas().rank()
                || rank <= 0
                || rank >= spec.distribution().replicas()) {
            throw new IllegalArgumentException(
                    "this trainer is rank " + config.replicas().rank()
                            + " (trainer.replicas.rank), not rank " + rank + " of run " + runId + "'s "
                            + spec.distribution().replicas() + " replicas");
        }
        refuseIfLiveOrQueueFull(runId);
        TrainingRun run = new TrainingRun(spec, services, true, this::startQueued);
        runs.put(runId, run);
        queue.add(run);
        startQueued();
        return status(run);
    }

    /**
     * What a new run takes when its request leaves it out, besides {@link RunField}'s defaults: its dataset's topics
     * as the manifest records them (so that {@code --dataset} alone is enough), else the configured topics; the
     * configured device and Adam kernel.
     */
    private RunSpecs.Deployment deployment(String requestedDataset) {
        String dataset = requestedDataset != null ? requestedDataset : (String) RunField.DATASET.defaultValue();
        Optional<DatasetManifest> manifest = Optional.empty();
        try {
            manifest = services.catalog().find(dataset);
        } catch (InvalidRecordException | RuntimeException e) {
            // The run's setup reads the manifest again and fails with the reason if it is still unreadable.
            LOG.warnf("manifest of %s unreadable now (%s): the run gets the configured topics", dataset, e);
        }
        return new RunSpecs.Deployment(
                topicOf(manifest, TrainingStep.TRAIN).orElse(config.trainTopic()),
                topicOf(manifest, TrainingStep.VAL).orElse(config.valTopic()),
                config.device(),
                config.adamKernel());
    }

    private static Optional<String> topicOf(Optional<DatasetManifest> manifest, String split) {
        return manifest.flatMap(m -> m.recordsOf(split)).map(DatasetRecords::topic);
    }

    /** Starts queued runs while slots are free; runs call it as they end. */
    private synchronized void startQueued() {
        while (!queue.isEmpty() && holdingSlots().size() < config.maxConcurrentRuns()) {
            TrainingRun run = queue.poll();
            Thread thread = new Thread(run, "run-" + run.config().runId());
            threadsByRun.put(run.config().runId(), thread);
            run.startOn(RunDevices.pick(
                    run.config().compute().device(),
                    holdingSlots().stream().map(TrainingRun::device).toList()));
            thread.start();
        }
    }

    /** Runs that hold a slot: started and not ended (a queued run's board also says PENDING). */
    private List<TrainingRun> holdingSlots() {
        return runs.values().stream()
                .filter(r -> !queue.contains(r) && r.status().state().active())
                .toList();
    }

    /** A run's status, with its place in the queue while it waits. */
    private synchronized RunStatus status(TrainingRun run) {
        int position = 1;
        for (TrainingRun queued : queue) {
            if (queued == run) {
                return run.status().queuedAt(position);
            }
            position++;
        }
        return run.status();
    }

    /** A run of this process, or else one that left checkpoints in the bucket. */
    public Optional<RunStatus> status(String runId) throws IOException {
        TrainingRun run = runs.get(runId);
        if (run != null) {
            return Optional.of(status(run));
        }
        Optional<LatestCheckpoint> latest = store.latest(runId);
        return latest.isPresent() ? Optional.of(stored(latest.get())) : Optional.empty();
    }

    /** Runs of this process and runs with checkpoints in the bucket, by id. */
    public Collection<RunStatus> list() throws IOException {
        Map<String, RunStatus> all = new TreeMap<>();
        for (String id : store.runIds()) {
            Optional<LatestCheckpoint> latest = store.latest(id);
            if (latest.isPresent()) {
                all.put(id, stored(latest.get()));
            }
        }
        runs.values().forEach(r -> all.put(r.config().runId(), status(r)));
        return all.values();
    }

    /** A graceful stop of a training run; a queued run is taken off the queue (cancelled) and ends STOPPED. */
    public synchronized Optional<RunStatus> stop(String runId) {
        TrainingRun run = runs.get(runId);
        if (run == null) {
            return Optional.empty();
        }
        if (queue.remove(run)) {
            run.cancel();
            return Optional.of(run.status());
        }
        run.requestStop();
        return Optional.of(run.status());
    }

    /** A run known only from the bucket: FINISHED once its last epoch's checkpoint is stored, else RESUMABLE. */
    private RunStatus stored(LatestCheckpoint latest) throws IOException {
        int epochs =
                store.runDocument(latest.runId()).map(d -> d.spec().epochs()).orElse(0);
        boolean finished = finished(latest, epochs);
        return new RunStatus(
                latest.runId(),
                finished ? RunState.FINISHED : RunState.RESUMABLE,
                // As a run of this process reports it: the epoch in progress, or the run's epochs once it has ended.
                finished ? epochs : latest.epoch(),
                epochs,
                latest.step(),
                0,
                latest.loss(),
                null,
                0,
                0,
                null,
                latest.object(),
                latest.acc1(),
                latest.acc5(),
                0,
                "",
                null,
                null);
    }

    /** Whether the checkpoint closes the last of the run's {@code epochs} (epochs count from 0 in checkpoints). */
    static boolean finished(LatestCheckpoint latest, int epochs) {
        return epochs > 0 && latest.epochComplete() && latest.epoch() + 1 >= epochs;
    }
}
