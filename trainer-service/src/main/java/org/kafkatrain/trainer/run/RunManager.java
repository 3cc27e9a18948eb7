package org.kafkatrain.trainer.run;

import static org.bytedeco.pytorch.global.torch.set_num_threads;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.runs.RunConfig;
import org.kafkatrain.contracts.runs.RunState;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.store.LatestCheckpoint;
import org.kafkatrain.trainer.config.TrainerConfig;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Starts, lists and stops runs; one run trains at a time, since it takes the whole device. */
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

    void onStart(@Observes StartupEvent event) {
        int n = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        set_num_threads(n);
        LOG.infof("libtorch intra-op threads: %d", n);
    }

    void onStop(@Observes ShutdownEvent event) {
        // A shutdown (SIGTERM, Ctrl-C) stops runs gracefully: each finishes its step and writes a checkpoint.
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

    /** A new run with the defaults filled in, or an existing run (config in its run.json) resumed from its checkpoint. */
    /** @param override apply changes to a resumed run's data or model settings (recorded in its run.json) */
    public synchronized RunStatus start(RunConfig requested, boolean override) throws IOException {
        String runId = RunConfigs.runId(requested);
        Optional<TrainingRun> active =
                runs.values().stream().filter(r -> r.status().state().active()).findFirst();
        if (active.isPresent()) {
            throw new RunConflictException("run " + active.get().config().runId() + " is "
                    + active.get().status().state() + "; one run trains at a time");
        }
        threadsByRun.values().removeIf(t -> !t.isAlive()); // only threads of runs still going are kept
        Optional<RunConfig> stored = store.storedConfig(runId);
        RunConfig config;
        if (stored.isPresent()) {
            RunConfigs.Resumed resumed = RunConfigs.resume(requested, stored.get(), override);
            if (!resumed.overridden().isEmpty()) {
                store.recordOverride(runId, resumed.config(), resumed.overridden());
                LOG.warnf("run %s resumes with overridden settings: %s", runId, resumed.overridden());
            }
            config = resumed.config();
        } else if (requested.fromRun() != null) {
            RunConfig parent = store.storedConfig(requested.fromRun())
                    .orElseThrow(() -> new IllegalArgumentException(
                            "fromRun " + requested.fromRun() + " has no run.json in bucket " + store.bucket()));
            config = RunConfigs.fork(requested, parent);
        } else {
            config = RunConfigs.resolve(
                    requested,
                    new RunConfigs.Defaults(this.config.trainTopic(), this.config.valTopic(), this.config.device()));
        }
        TrainingRun run = new TrainingRun(config, services);
        runs.put(runId, run);
        Thread thread = new Thread(run, "run-" + runId);
        threadsByRun.put(runId, thread);
        thread.start();
        return run.status();
    }

    /** A run of this process, or else one that left checkpoints in the bucket. */
    public Optional<RunStatus> status(String runId) throws IOException {
        TrainingRun run = runs.get(runId);
        if (run != null) {
            return Optional.of(run.status());
        }
        return store.latest(runId).map(RunManager::resumable);
    }

    /** Runs of this process and runs with checkpoints in the bucket, by id. */
    public Collection<RunStatus> list() throws IOException {
        Map<String, RunStatus> all = new TreeMap<>();
        for (String id : store.runIds()) {
            store.latest(id).ifPresent(latest -> all.put(id, resumable(latest)));
        }
        runs.values().forEach(r -> all.put(r.config().runId(), r.status()));
        return all.values();
    }

    public Optional<RunStatus> stop(String runId) {
        TrainingRun run = runs.get(runId);
        if (run == null) {
            return Optional.empty();
        }
        run.requestStop();
        return Optional.of(run.status());
    }

    private static RunStatus resumable(LatestCheckpoint latest) {
        return new RunStatus(
                latest.runId(),
                RunState.RESUMABLE,
                latest.epoch(),
                0,
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
                "");
    }
}
