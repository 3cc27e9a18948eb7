package org.kafkatrain.inference.model;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.CheckpointEvent;
import org.kafkatrain.contracts.Ids;
import org.kafkatrain.engine.NativeRuntime;
import org.kafkatrain.inference.config.InferenceConfig;
import org.kafkatrain.store.CheckpointStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Comparator;
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
 * The models this service serves, one per run: loaded on the first prediction for a run, on the model repository's
 * load (or at start for {@code inference.run}), never by a read; moved to a newer checkpoint when
 * {@code training.checkpoints} announces one. A new checkpoint is loaded aside on the loader thread while requests
 * go on with the old one; the swap is one map write, and the old weights are freed once the last batch using them
 * is done. At most {@code inference.max-loaded-models} are served: one more unloads the least recently used.
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
    /**
     * One load at a time: a checkpoint is hundreds of megabytes, and swaps of one run must not overtake each other.
     * Being the only thread that adds a model is also what keeps the count within its bound.
     */
    private final ExecutorService loads = Executors.newSingleThreadExecutor(r -> new Thread(r, "model-loader"));

    void onStart(@Observes StartupEvent event) {
        if (config.maxLoadedModels() < 1) {
            throw new IllegalArgumentException(
                    "inference.max-loaded-models must be at least 1: " + config.maxLoadedModels());
        }
        int n = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        NativeRuntime.prepare(n);
        LOG.infof("libtorch intra-op threads: %d", n);
        config.run().map(run -> Ids.check("inference.run", run)).ifPresent(this::future);
    }

    void onStop(@Observes ShutdownEvent event) {
        loads.shutdownNow();
    }

    /**
     * The run's current model with a reference taken for the caller, who must {@link ServedModel#release} it;
     * loads it first if it is not loaded.
     *
     * @throws IllegalArgumentException when {@code runId} is not a run id
     * @throws UnknownModelException    when the bucket has no such run or checkpoint
     */
    public ServedModel acquire(String runId) throws IOException {
        Ids.check("run", runId);
        while (true) {
            ServedModel model = await(future(runId), runId);
            if (model.acquire()) {
                return model;
            }
            // freed by a swap or an unload between the lookup and acquire: look up its successor
        }
    }

    /** What the run's current model is; loads it first if it is not loaded. */
    public ModelInfo load(String runId) throws IOException {
        ServedModel model = acquire(runId);
        model.release();
        return model.info();
    }

    /** The run's model if it is loaded (no load is started). */
    public Optional<ModelInfo> loaded(String runId) {
        return served(models.get(runId)).map(ServedModel::info);
    }

    public List<ModelInfo> loaded() {
        return models.keySet().stream()
                .map(this::loaded)
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * Stops serving the run's model (or drops its load under way); its weights are freed once the batches using
     * them are done. False when the run had no model.
     */
    public boolean unload(String runId) {
        CompletableFuture<ServedModel> f = models.get(runId);
        if (f == null || !models.remove(runId, f)) {
            return false;
        }
        f.thenAccept(ServedModel::release);
        LOG.infof("run %s: model unloaded", runId);
        return true;
    }

    /** Whether {@code inference.run}, when set, is loaded: the service is ready once it can answer for it. */
    public boolean ready() {
        return config.run().map(run -> loaded(run).isPresent()).orElse(true);
    }

    /**
     * A checkpoint announced on {@code training.checkpoints}: when it is newer than the model served for its run
     * (by {@code inference.checkpoint}'s measure), it is loaded aside and swapped in. Runs not served are ignored;
     * a pinned checkpoint never moves; an event naming another run's object, or no hash, is refused.
     */
    public void offer(CheckpointEvent event) {
        if (!config.follow() || !isFollowing()) {
            return;
        }
        Optional<String> refusal = CheckpointOrigin.refusal(event);
        if (refusal.isPresent()) {
            LOG.warnf("ignoring a checkpoint event for run %s: %s", event.runId(), refusal.get());
            return;
        }
        Optional<ModelInfo> current = loaded(event.runId());
        if (current.isEmpty() || !supersedes(event, current.get())) {
            return;
        }
        loads.execute(() -> swap(event));
    }

    /** On the loader thread: loads the announced checkpoint and puts it in place of the one it supersedes. */
    private void swap(CheckpointEvent event) {
        CompletableFuture<ServedModel> old = models.get(event.runId());
        Optional<ModelInfo> now = served(old).map(ServedModel::info);
        if (now.isEmpty() || !supersedes(event, now.get())) {
            return; // an earlier swap got there first, or the model was unloaded
        }
        try {
            ServedModel next = loader.load(event.runId(), event.object(), event.sha256());
            if (!models.replace(event.runId(), old, CompletableFuture.completedFuture(next))) {
                next.release(); // unloaded while this one loaded
                return;
            }
            LOG.infof(
                    "run %s: now serving %s (step %d), was %s (step %d)",
                    event.runId(),
                    event.object(),
                    event.step(),
                    now.get().checkpoint(),
                    now.get().step());
            old.thenAccept(ServedModel::release);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(
                    e,
                    "run %s: could not load %s; still serving %s",
                    event.runId(),
                    event.object(),
                    now.get().checkpoint());
        }
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
                                return makeRoom(loader.load(id, config.checkpoint()));
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

    /**
     * On the loader thread, once {@code loaded} has loaded: unloads the least recently used models until it fits
     * within {@code inference.max-loaded-models}. Only after the load, so that a request for a run that cannot be
     * loaded unloads nothing; {@code inference.run}'s model is never chosen, since readiness waits on it.
     */
    private ServedModel makeRoom(ServedModel loaded) throws IOException {
        String runId = loaded.info().runId();
        List<ServedModel> others = models.entrySet().stream()
                .filter(e -> !e.getKey().equals(runId))
                .map(e -> served(e.getValue()))
                .flatMap(Optional::stream)
                .toList();
        int excess = others.size() + 1 - config.maxLoadedModels();
        List<ServedModel> evictable = others.stream()
                .filter(m -> !config.run().orElse("").equals(m.info().runId()))
                .sorted(Comparator.comparingLong(ServedModel::lastUsed))
                .limit(Math.max(0, excess))
                .toList();
        if (evictable.size() < excess) {
            loaded.release();
            throw new IOException("no room for the model of run " + runId + ": inference.max-loaded-models ("
                    + config.maxLoadedModels() + ") is taken by inference.run's");
        }
        for (ServedModel m : evictable) {
            LOG.infof(
                    "run %s: least recently used, unloaded to make room for run %s",
                    m.info().runId(), runId);
            unload(m.info().runId());
        }
        return loaded;
    }

    /** The model of a completed, successful load; empty for none, one under way or one that failed. */
    private static Optional<ServedModel> served(CompletableFuture<ServedModel> f) {
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? Optional.of(f.join()) : Optional.empty();
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
