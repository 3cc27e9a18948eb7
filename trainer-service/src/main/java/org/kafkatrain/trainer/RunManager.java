package org.kafkatrain.trainer;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static org.bytedeco.pytorch.global.torch.set_num_threads;

/** Starts, lists and stops runs; one run trains at a time, since it takes the whole device. */
@ApplicationScoped
public class RunManager {
    private static final Logger LOG = Logger.getLogger(RunManager.class);

    @Inject
    TrainerServices services;

    @ConfigProperty(name = "trainer.threads", defaultValue = "0")
    int threads;
    @ConfigProperty(name = "trainer.train-topic", defaultValue = "images.train")
    String trainTopic;
    @ConfigProperty(name = "trainer.val-topic", defaultValue = "images.val")
    String valTopic;

    private final Map<String, TrainingRun> runs = new ConcurrentHashMap<>();
    private final Map<String, Thread> threadsByRun = new ConcurrentHashMap<>();

    void onStart(@Observes StartupEvent event) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        set_num_threads(n);
        LOG.infof("libtorch intra-op threads: %d", n);
    }

    void onStop(@Observes ShutdownEvent event) {
        // A shutdown (SIGTERM, Ctrl-C) stops runs gracefully: each finishes its step and writes a checkpoint.
        runs.values().stream().filter(r -> r.status().active()).forEach(TrainingRun::requestStop);
        threadsByRun.values().forEach(t -> {
            try {
                t.join(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public synchronized RunStatus start(RunConfig requested) {
        RunConfig config = requested.resolved(trainTopic, valTopic);
        Optional<TrainingRun> active = runs.values().stream().filter(r -> r.status().active()).findFirst();
        if (active.isPresent()) {
            throw new IllegalStateException("run " + active.get().config().runId() + " is " + active.get().status().state()
                    + "; one run trains at a time");
        }
        TrainingRun run = new TrainingRun(config, services);
        runs.put(config.runId(), run);
        Thread thread = new Thread(run, "run-" + config.runId());
        threadsByRun.put(config.runId(), thread);
        thread.start();
        return run.status();
    }

    /** A run of this process, or else one that left checkpoints in the bucket. */
    public Optional<RunStatus> status(String runId) throws IOException {
        TrainingRun run = runs.get(runId);
        if (run != null) {
            return Optional.of(run.status());
        }
        return services.store().latest(runId).map(RunStatus::fromCheckpoint);
    }

    /** Runs of this process and runs with checkpoints in the bucket, by id. */
    public Collection<RunStatus> list() throws IOException {
        Map<String, RunStatus> all = new TreeMap<>();
        for (String id : services.store().runIds()) {
            services.store().latest(id).ifPresent(latest -> all.put(id, RunStatus.fromCheckpoint(latest)));
        }
        runs.values().forEach(r -> all.put(r.config().runId(), r.status()));
        return all.values();
    }

    public Optional<RunStatus> stop(String runId) {
        TrainingRun run = runs.get(runId);
        if (run == null) {
            return Optional.empty();
        }
        if (run.status().active()) {
            run.requestStop();
        }
        return Optional.of(run.status());
    }
}
