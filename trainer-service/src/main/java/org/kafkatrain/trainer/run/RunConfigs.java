package org.kafkatrain.trainer.run;

import org.kafkatrain.contracts.runs.RunConfig;
import org.kafkatrain.contracts.runs.RunMode;
import org.kafkatrain.engine.AdamOptimizer;
import org.kafkatrain.engine.ComputeOptions;
import org.kafkatrain.engine.Hyperparameters;
import org.kafkatrain.engine.Precision;
import org.kafkatrain.store.CheckpointStore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a run request into the config a run trains with: a new run takes defaults for what the request leaves
 * out; an existing run takes its stored config, of which a request may change only what does not alter the data
 * or the model it resumes (epochs, device, checkpointing, evaluation). Throws IllegalArgumentException naming the
 * field at fault.
 */
public final class RunConfigs {
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /**
     * What a resumed run may change: none of it touches the trained samples, their order or the optimizer's state.
     * How the steps are computed (device, precision, layout, Adam kernel) changes the float rounding, not the run.
     */
    static final Set<String> ADJUSTABLE_ON_RESUME = Set.of(
            "epochs",
            "device",
            "checkpointEvery",
            "keepLast",
            "maxEvalSamples",
            "evalBatchSize",
            "precision",
            "channelsLast",
            "adam");

    /** What a new run takes when the request leaves it out, besides the tutorial's hyperparameters. */
    public record Defaults(String trainTopic, String valTopic, String device, AdamOptimizer.Kernel adam) {}

    private RunConfigs() {}

    /** The run id, checked: it becomes part of S3 keys and Kafka client ids. */
    public static String runId(RunConfig requested) {
        String id = requested == null ? null : requested.runId();
        if (id == null || !RUN_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("runId must match " + RUN_ID.pattern() + ": " + id);
        }
        return id;
    }

    /** A new run: every field filled in. */
    public static RunConfig resolve(RunConfig r, Defaults defaults) {
        Hyperparameters d = Hyperparameters.defaults();
        ComputeOptions compute = ComputeOptions.defaults();
        if (r.dataset() == null || r.dataset().isBlank()) {
            throw new IllegalArgumentException(
                    "dataset is required: the id of a manifest on the datasets topic (ingest publishes one)");
        }
        int batchSize = or(r.batchSize(), d.batchSize());
        RunConfig resolved = new RunConfig(
                runId(r),
                r.dataset(),
                or(r.trainTopic(), defaults.trainTopic()),
                or(r.valTopic(), defaults.valTopic()),
                or(r.mode(), RunMode.EPOCHS),
                or(r.epochs(), 1),
                or(r.epochSamples(), 0L),
                or(r.lr(), d.lr()),
                or(r.beta1(), d.beta1()),
                or(r.beta2(), d.beta2()),
                or(r.eps(), d.eps()),
                or(r.weightDecay(), d.weightDecay()),
                or(r.stepSize(), d.stepSize()),
                or(r.gamma(), d.gamma()),
                batchSize,
                or(r.evalBatchSize(), 2 * batchSize),
                or(r.mean(), d.mean()),
                or(r.std(), d.std()),
                or(r.seed(), d.seed()),
                or(r.augment(), d.augment()),
                or(r.device(), defaults.device()),
                or(r.checkpointEvery(), 0),
                or(r.keepLast(), 3),
                or(r.shuffleBuffer(), 10_000),
                or(r.maxEvalSamples(), 0L),
                r.initWeights(),
                or(r.freezeEpochs(), 0),
                r.fromRun(),
                r.fromRun() == null ? null : or(r.fromCheckpoint(), CheckpointStore.LATEST),
                r.precision() == null
                        ? compute.precision().json()
                        : Precision.parse(r.precision()).json(),
                or(r.channelsLast(), compute.channelsLast()),
                r.adam() == null
                        ? defaults.adam().json()
                        : AdamOptimizer.Kernel.parse(r.adam()).json(),
                or(r.replicas(), 1),
                or(r.wholeTopics(), false));
        validate(resolved);
        return resolved;
    }

    /**
     * An existing run resumed by a request.
     *
     * @param overridden the data or model settings the request changed ("batchSize 32 -> 64"), when it asked to
     */
    public record Resumed(RunConfig config, List<String> overridden) {}

    /**
     * An existing run: its stored config, with the request's changes where {@link #ADJUSTABLE_ON_RESUME} allows
     * them. A change to anything else breaks the exact resume (other samples, order or optimizer state than the
     * checkpoint's): refused with every such field named, unless {@code override} says the user wants it anyway.
     */
    public static Resumed resume(RunConfig requested, RunConfig stored, boolean override) {
        RecordComponent[] components = RunConfig.class.getRecordComponents();
        Object[] values = new Object[components.length];
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            Object wanted = value(components[i], requested);
            Object had = value(components[i], stored);
            values[i] = wanted == null ? had : wanted;
            if (wanted != null && !wanted.equals(had) && !ADJUSTABLE_ON_RESUME.contains(components[i].getName())) {
                changes.add(components[i].getName() + " " + had + " -> " + wanted);
            }
        }
        if (!changes.isEmpty() && !override) {
            throw new RunConflictException(
                    "run " + stored.runId() + " exists, and a resumed run keeps its data and model"
                            + " settings to resume exactly: " + String.join(", ", changes)
                            + "; start a new run id, or resume with override=true (./kafka-train train --override) to change them");
        }
        RunConfig merged = construct(components, values);
        validate(merged);
        return new Resumed(merged, List.copyOf(changes));
    }

    private static RunConfig construct(RecordComponent[] components, Object[] values) {
        try {
            return RunConfig.class
                    .getDeclaredConstructor(Arrays.stream(components)
                            .map(RecordComponent::getType)
                            .toArray(Class<?>[]::new))
                    .newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A fork of {@code parent}: the parent's stored config with this request's fields over it (any of them may
     * change: that is what a fork is for), under the request's run id, starting from {@code fromCheckpoint}
     * ({@code latest} unless named).
     */
    public static RunConfig fork(RunConfig requested, RunConfig parent) {
        RunConfig base = with(parent, Map.of("initWeights", NONE, "freezeEpochs", 0));
        RunConfig request =
                with(requested, Map.of("fromCheckpoint", or(requested.fromCheckpoint(), CheckpointStore.LATEST)));
        return resume(request, base, true).config();
    }

    /** Marks a field to clear in {@link #with}. */
    private static final Object NONE = new Object();

    /** {@code config} with some fields replaced ({@link #NONE}: set to null). */
    private static RunConfig with(RunConfig config, Map<String, Object> changes) {
        RecordComponent[] components = RunConfig.class.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            Object changed = changes.get(components[i].getName());
            values[i] = changed == NONE ? null : changed != null ? changed : value(components[i], config);
        }
        return construct(components, values);
    }

    /** The engine's view of a resolved config. */
    public static Hyperparameters hyperparameters(RunConfig c, int imageSize) {
        return new Hyperparameters(
                c.lr(),
                c.beta1(),
                c.beta2(),
                c.eps(),
                c.weightDecay(),
                c.stepSize(),
                c.gamma(),
                c.batchSize(),
                imageSize,
                c.mean(),
                c.std(),
                c.seed(),
                c.augment());
    }

    /**
     * How a resolved config computes. A config stored before these settings existed has none of them: it trains as
     * runs did then, in fp32, NCHW, with the trainer's configured kernel.
     */
    public static ComputeOptions compute(RunConfig c, AdamOptimizer.Kernel adamDefault) {
        return new ComputeOptions(
                c.precision() == null ? Precision.FP32 : Precision.parse(c.precision()),
                Boolean.TRUE.equals(c.channelsLast()),
                c.adam() == null ? adamDefault : AdamOptimizer.Kernel.parse(c.adam()));
    }

    private static void validate(RunConfig c) {
        if (c.epochs() <= 0) {
            throw new IllegalArgumentException("epochs must be positive: " + c.epochs());
        }
        if (c.mode() == RunMode.CONTINUOUS && c.epochSamples() <= 0) {
            throw new IllegalArgumentException("continuous mode needs epochSamples > 0");
        }
        if (c.replicaCount() < 1) {
            throw new IllegalArgumentException("replicas must be positive: " + c.replicas());
        }
        if (c.replicaCount() > 1 && c.mode() == RunMode.CONTINUOUS) {
            // Each replica reads the epoch itself: a continuous epoch ends where records had arrived when its
            // reader got there, which two replicas would see differently.
            throw new IllegalArgumentException("replicas > 1 need mode EPOCHS: a continuous epoch's end depends on"
                    + " when each replica reads it");
        }
        if (c.freezeEpochs() < 0 || (c.freezeEpochs() > 0 && c.initWeights() == null)) {
            throw new IllegalArgumentException(
                    "freezeEpochs must be non-negative, and needs initWeights to start from");
        }
        if (c.fromRun() != null && c.initWeights() != null) {
            throw new IllegalArgumentException("a run starts from fromRun's checkpoint or from initWeights, not both");
        }
        if (c.fromRun() != null) {
            runId(RunConfig.of(c.fromRun(), null)); // checked like any run id
        }
        if (c.evalBatchSize() <= 0
                || c.keepLast() < 1
                || c.shuffleBuffer() <= 0
                || c.checkpointEvery() < 0
                || c.maxEvalSamples() < 0) {
            throw new IllegalArgumentException(
                    "evalBatchSize, shuffleBuffer and keepLast must be positive, checkpointEvery and maxEvalSamples non-negative");
        }
        hyperparameters(c, 1); // the engine checks its own numbers
        compute(c, AdamOptimizer.Kernel.FUSED); // and its own names
    }

    private static Object value(RecordComponent component, RunConfig config) {
        try {
            return component.getAccessor().invoke(config);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T or(T value, T fallback) {
        return Objects.requireNonNullElse(value, fallback);
    }
}
