package org.kafkatrain.inference.model;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.CheckpointEvent;
import org.kafkatrain.engine.NativeRuntime;
import org.kafkatrain.inference.config.InferenceConfig;
import org.kafkatrain.store.CheckpointStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The models this service serves, one per run: loaded on the first request for a run (or at start for
 * {@code inference.run}), and moved to a newer checkpoint when {@code training.checkpoints} announces one. A new
 * checkpoint is loaded aside on the loader thread while requests go on with the old one; the swap is one map
 * write, and the old weights are freed once the last batch using them is done.
 */
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);
    /** A first request waits this long for its model to download and load. */
    private static final Duration LOAD_PATIENCE = Duration.ofMinutes(3);

    @Inject
    ModelLoader loader;

    @Inject
    InferenceConfig config;

    private final Map<String, CompletableFuture<ServedModel>> models = new ConcurrentHashMap<>();
    /** One load at a time: a checkpoint is hundreds of megabytes, and swaps of one run must not overtake each other. */
    private final ExecutorService loads = Executors.newSingleThreadExecutor(r -> new Thread(r, "model-loader"));

    void onStart(@Observes StartupEvent event) {
        int n = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        NativeRuntime.prepare(n);
        LOG.infof("libtorch intra-op threads: %d", n);
        config.run().ifPresent(this::future);
    }

    void onStop(@Observes ShutdownEvent event) {
        loads.shutdownNow();
    }

    /**
     * The run's current model with a reference taken for the caller, who must {@link ServedModel#release} it;
     * loads it first if it is not loaded.
     *
     * @throws UnknownModelException when the bucket has no such run or checkpoint
     */
    public ServedModel acquire(String runId) throws IOException {
        while (true) {
            ServedModel model = await(future(runId), runId);
            if (model.acquire()) {
                return model;
            }
            // freed by a swap between the lookup and acquire: the map holds its successor by now
        }
    }

    /** What the run's current model is; loads it first if it is not loaded. */
    public ModelInfo info(String runId) throws IOException {
        return await(future(runId), runId).info();
    }

    /** The run's model if it is loaded (no load is started). */
    public Optional<ModelInfo> loaded(String runId) {
        CompletableFuture<ServedModel> f = models.get(runId);
        return f != null && f.isDone() && !f.isCompletedExceptionally()
                ? Optional.of(f.join().info())
                : Optional.empty();
    }

    public List<ModelInfo> loaded() {
        return models.keySet().stream()
                .map(this::loaded)
                .flatMap(Optional::stream)
                .toList();
    }

    /** Whether {@code inference.run}, when set, is loaded: the service is ready once it can answer for it. */
    public boolean ready() {
        return config.run().map(run -> loaded(run).isPresent()).orElse(true);
    }

    /**
     * A checkpoint announced on {@code training.checkpoints}: when it is newer than the model served for its run
     * (by {@code inference.checkpoint}'s measure), it is loaded aside and swapped in. Runs not served are ignored;
     * a pinned checkpoint never moves.
     */
    public void offer(CheckpointEvent event) {
        if (!config.follow() || !isFollowing()) {
            return;
        }
        Optional<ModelInfo> current = loaded(event.runId());
        if (current.isEmpty() || !supersedes(event, current.get())) {
            return;
        }
        loads.execute(() -> {
            Optional<ModelInfo> now = loaded(event.runId());
            if (now.isEmpty() || !supersedes(event, now.get())) {
                return; // an earlier swap got there first
            }
            try {
                ServedModel next = loader.load(event.runId(), event.object(), event.sha256());
                CompletableFuture<ServedModel> old = models.put(event.runId(), CompletableFuture.completedFuture(next));
                LOG.infof(
                        "run %s: now serving %s (step %d), was %s (step %d)",
                        event.runId(),
                        event.object(),
                        event.step(),
                        now.get().checkpoint(),
                        now.get().step());
                if (old != null) {
                    old.thenAccept(ServedModel::release);
                }
            } catch (IOException | RuntimeException e) {
                LOG.errorf(
                        e,
                        "run %s: could not load %s; still serving %s",
                        event.runId(),
                        event.object(),
                        now.get().checkpoint());
            }
        });
    }

    private boolean isFollowing() {
        return config.checkpoint().equals(CheckpointStore.LATEST)
                || config.checkpoint().equals(CheckpointStore.BEST);
    }

    /** Latest: a later step (or the same step's epoch-end checkpoint). Best: a better val top-1. */
    private boolean supersedes(CheckpointEvent event, ModelInfo current) {
        if (event.object().equals(current.checkpoint())) {
            return false;
        }
        if (config.checkpoint().equals(CheckpointStore.BEST)) {
            return event.acc1() != null && (current.acc1() == null || event.acc1() > current.acc1());
        }
        return event.step() > current.step() || (event.step() == current.step() && event.epochComplete());
    }

    private CompletableFuture<ServedModel> future(String runId) {
        CompletableFuture<ServedModel> f = models.computeIfAbsent(
                runId,
                id -> CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return loader.load(id, config.checkpoint());
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        loads));
        // A failed load is forgotten, so that the next request tries again (S3 back, run trained meanwhile).
        f.whenComplete((model, failure) -> {
            if (failure != null) {
                models.remove(runId, f);
            }
        });
        return f;
    }

    private static ServedModel await(CompletableFuture<ServedModel> f, String runId) throws IOException {
        try {
            return f.get(LOAD_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading the model of run " + runId, e);
        } catch (TimeoutException e) {
            throw new IOException("the model of run " + runId + " is still loading after " + LOAD_PATIENCE, e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = Objects.requireNonNullElse(e.getCause(), e);
            if (cause instanceof UnknownModelException unknown) {
                throw unknown;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IOException("loading the model of run " + runId + " failed: " + cause.getMessage(), cause);
        }
    }
}
