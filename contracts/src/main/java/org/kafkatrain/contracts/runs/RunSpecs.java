package org.kafkatrain.contracts.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kafkatrain.contracts.Ids;
import org.kafkatrain.contracts.Topics;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Requests to specs: a new run lays its request over {@link RunField}'s defaults, a resumed run over its stored spec
 * (of which it may change only what {@link RunField} calls adjustable), a fork over its parent's spec. Every merge is
 * of the specs' JSON structure, group by group. Throws IllegalArgumentException naming the setting at fault.
 */
public final class RunSpecs {
    /**
     * Bounds of what one run may ask of a trainer, beyond which no run is sensible and memory would run out before
     * the run fails: a batch (and an evaluation batch) of 4096 images of 224 px is 2.3 GiB of input alone.
     */
    public static final int MAX_BATCH = 4096;

    /** Samples the shuffle buffer holds: 65536 Fashion-MNIST images are 51 MB, 65536 of 224 px 9.9 GB. */
    public static final int MAX_SHUFFLE_BUFFER = 65536;

    public static final int MAX_EPOCHS = 100_000;
    public static final int MAX_KEEP_LAST = 1000;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    /** What a trainer's deployment makes the default of a new run (its configured topics, device and Adam kernel). */
    public record Deployment(String trainTopic, String valTopic, String device, AdamKernel adam) {
        /** A trainer's when its configuration sets none of them. */
        public static final Deployment DEFAULT = new Deployment(
                Topics.IMAGES_TRAIN, Topics.IMAGES_VAL, (String) RunField.DEVICE.defaultValue(), (AdamKernel)
                        RunField.ADAM.defaultValue());
    }

    /**
     * A resumed run's spec, and what its request changed ("optimization.batchSize 32 -> 64").
     *
     * @param refused the changes to settings a resumed run may not change without an override
     */
    public record Resumed(RunSpec spec, List<String> changes, List<String> refused) {}

    private RunSpecs() {}

    /** The run id, checked: it becomes part of S3 keys and Kafka client ids. */
    public static String runId(String id) {
        return Ids.check("runId", id);
    }

    /**
     * Why a resume that changes {@code refused} without an override is refused: each change, and what a resumed run
     * may change, as {@link RunField} declares it.
     */
    public static String refusal(String runId, List<String> refused) {
        return "run " + runId + " exists, and a resumed run keeps its data and model settings to resume exactly: "
                + String.join(", ", refused) + "; a resumed run may change only " + RunField.adjustableOnResumeText()
                + "; start a new run id, or resume with override=true (./kafka-train train --override) to change the"
                + " others";
    }

    /** A new run: the request over the defaults. */
    public static RunSpec resolve(RunRequest request, Deployment deployment) {
        ObjectNode tree = defaults(deployment);
        tree.put("runId", runId(request.runId()));
        merge(tree, request.settings());
        return read(tree);
    }

    /** An existing run: the request over its stored spec; {@link Resumed#refused} lists what it may not change. */
    public static Resumed resume(RunRequest request, RunSpec stored) {
        ObjectNode before = tree(stored);
        ObjectNode tree = before.deepCopy();
        merge(tree, request.settings());
        RunSpec resumed = read(tree);
        ObjectNode after = tree(resumed);
        List<String> changes = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (RunField field : RunField.values()) {
            JsonNode was = at(before, field);
            JsonNode now = at(after, field);
            if (!was.equals(now)) {
                String change = field.path() + " " + was + " -> " + now;
                changes.add(change);
                if (!field.adjustableOnResume()) {
                    refused.add(change);
                }
            }
        }
        return new Resumed(resumed, List.copyOf(changes), List.copyOf(refused));
    }

    /**
     * A fork of {@code parent}: the parent's spec with this request over it (any setting may change: that is what a
     * fork is for), under the request's run id, from its checkpoint {@code fromCheckpoint} ({@code latest} unless
     * named). The parent's own starting point (initWeights, freezeEpochs) is not inherited.
     */
    public static RunSpec fork(RunRequest request, RunSpec parent) {
        ObjectNode tree = tree(parent);
        tree.put("runId", runId(request.runId()));
        ObjectNode start = tree.withObjectProperty("start");
        start.putNull("initWeights");
        start.put("freezeEpochs", 0);
        start.putNull("fromCheckpoint");
        merge(tree, request.settings());
        return read(tree);
    }

    /**
     * A run's stored spec, from its run.json: a v2 spec, or a v1 run's flat config, whose settings that did not exist
     * then (precision, replicas, ...) take the defaults, as that run trained with them.
     */
    public static RunSpec stored(JsonNode config, Deployment deployment) {
        return resolve(RunRequest.fromJson(config), deployment);
    }

    /**
     * A spec as {@code GET /runs/{id}/config} or run.json gives it: v2, or a v1 flat config, whose settings that did
     * not exist then take the defaults of a trainer configured with none, as that run trained with them.
     */
    public static RunSpec read(JsonNode config) {
        return stored(config, Deployment.DEFAULT);
    }

    /** The spec as JSON, grouped. */
    public static ObjectNode tree(RunSpec spec) {
        return JSON.valueToTree(spec);
    }

    /** A spec's settings by path ({@code optimization.lr} -> 0.001), in {@link RunField}'s order: for tables. */
    public static Map<String, Object> flat(RunSpec spec) {
        ObjectNode tree = tree(spec);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (RunField field : RunField.values()) {
            out.put(field.path(), JSON.convertValue(at(tree, field), Object.class));
        }
        return out;
    }

    private static ObjectNode defaults(Deployment deployment) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode().put("v", RunSpec.VERSION);
        for (RunField field : RunField.values()) {
            Object value = switch (field) {
                case TRAIN_TOPIC -> deployment.trainTopic();
                case VAL_TOPIC -> deployment.valTopic();
                case DEVICE -> deployment.device();
                case ADAM -> deployment.adam();
                default -> field.defaultValue();
            };
            parent(tree, field).set(field.fieldName(), JSON.valueToTree(value));
        }
        return tree;
    }

    /** Reads a complete tree as a spec, filling what follows from other settings, and checks it. */
    private static RunSpec read(ObjectNode tree) {
        ObjectNode evaluation = tree.withObjectProperty("evaluation");
        if (evaluation.path("batchSize").isNull()) {
            evaluation.put(
                    "batchSize", 2 * tree.path("optimization").path("batchSize").asInt());
        }
        ObjectNode start = tree.withObjectProperty("start");
        if (!start.path("fromRun").isNull() && start.path("fromCheckpoint").isNull()) {
            start.put("fromCheckpoint", RunField.LATEST_CHECKPOINT);
        }
        RunSpec spec;
        try {
            spec = JSON.treeToValue(tree, RunSpec.class);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(settingOf(e) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        validate(spec);
        return spec;
    }

    private static void validate(RunSpec s) {
        if (s.runId() == null
                || s.data() == null
                || s.optimization() == null
                || s.evaluation() == null
                || s.compute() == null
                || s.checkpointing() == null
                || s.start() == null
                || s.distribution() == null) {
            throw new IllegalArgumentException("a run spec needs runId and every group (data, optimization, evaluation,"
                    + " compute, checkpointing, start, distribution)");
        }
        RunSpec.Data data = s.data();
        RunSpec.Start start = s.start();
        if (data.trainTopic() == null
                || data.valTopic() == null
                || data.mode() == null
                || s.compute().device() == null
                || s.compute().precision() == null
                || s.compute().adam() == null
                || data.mean() == null
                || data.std() == null) {
            throw new IllegalArgumentException("data.trainTopic, data.valTopic, data.mode, data.mean, data.std,"
                    + " compute.device, compute.precision and compute.adam need values");
        }
        if (data.dataset() == null || data.dataset().isBlank()) {
            throw new IllegalArgumentException(
                    "data.dataset is required: the id of a manifest on the datasets topic (ingest publishes one)");
        }
        RunSpec.Optimization o = s.optimization();
        // PyTorch's own checks (Adam: 0 <= beta < 1, eps and weight decay >= 0), and finite values: a NaN passes
        // every "<= 0" test and an Infinity trains a run of NaN losses
        within("optimization.lr", o.lr(), 0, false, 10);
        within("optimization.beta1", o.beta1(), 0, true, Math.nextDown(1.0));
        within("optimization.beta2", o.beta2(), 0, true, Math.nextDown(1.0));
        within("optimization.eps", o.eps(), 0, true, 1);
        within("optimization.weightDecay", o.weightDecay(), 0, true, 10);
        within("optimization.gamma", o.gamma(), 0, false, 10);
        within("optimization.batchSize", o.batchSize(), 1, MAX_BATCH);
        within("optimization.stepSize", o.stepSize(), 1, Integer.MAX_VALUE);
        if (data.mean().size() != 3 || data.std().size() != 3) {
            throw new IllegalArgumentException(
                    "data.mean and data.std need 3 values (RGB): " + data.mean() + ", " + data.std());
        }
        for (int c = 0; c < 3; c++) {
            within("data.mean[" + c + "]", data.mean().get(c), -1, true, 1);
            within("data.std[" + c + "]", data.std().get(c), 0, false, 10);
        }
        within("epochs", s.epochs(), 1, MAX_EPOCHS);
        if (data.mode() == RunMode.CONTINUOUS && data.epochSamples() <= 0) {
            throw new IllegalArgumentException("continuous mode needs data.epochSamples > 0");
        }
        if (s.distribution().replicas() < 1) {
            throw new IllegalArgumentException("distribution.replicas must be positive: "
                    + s.distribution().replicas());
        }
        if (s.distribution().replicas() > 1 && data.mode() == RunMode.CONTINUOUS) {
            // Each replica reads the epoch itself: a continuous epoch ends where records had arrived when its
            // reader got there, which two replicas would see differently.
            throw new IllegalArgumentException("replicas > 1 need mode epochs: a continuous epoch's end depends on"
                    + " when each replica reads it");
        }
        if (start.freezeEpochs() < 0 || (start.freezeEpochs() > 0 && start.initWeights() == null)) {
            throw new IllegalArgumentException(
                    "start.freezeEpochs must be non-negative, and needs start.initWeights to start from");
        }
        if (start.fromRun() != null && start.initWeights() != null) {
            throw new IllegalArgumentException("a run starts from fromRun's checkpoint or from initWeights, not both");
        }
        if (start.fromRun() != null) {
            runId(start.fromRun()); // checked like any run id
        }
        within("evaluation.batchSize", s.evaluation().batchSize(), 1, MAX_BATCH);
        within("evaluation.maxSamples", s.evaluation().maxSamples(), 0, Long.MAX_VALUE);
        within("data.shuffleBuffer", data.shuffleBuffer(), 1, MAX_SHUFFLE_BUFFER);
        within("checkpointing.keepLast", s.checkpointing().keepLast(), 1, MAX_KEEP_LAST);
        within("checkpointing.every", s.checkpointing().every(), 0, Integer.MAX_VALUE);
        within("start.freezeEpochs", start.freezeEpochs(), 0, s.epochs());
    }

    /** {@code value} in {@code [min, max]}, or IllegalArgumentException naming the setting and its range. */
    private static void within(String setting, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(setting + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    /** A finite {@code value} above {@code min} (or at it, when {@code closed}) and at most {@code max}. */
    private static void within(String setting, double value, double min, boolean closed, double max) {
        if (!Double.isFinite(value) || value < min || (!closed && value == min) || value > max) {
            throw new IllegalArgumentException(setting + " must be a number in " + (closed ? "[" : "(") + min + ", "
                    + (max == Math.nextDown(1.0) ? "1)" : max + "]") + ": " + value);
        }
    }

    /** Lays {@code over} onto {@code base}, group by group. */
    private static void merge(ObjectNode base, ObjectNode over) {
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject() && base.get(e.getKey()) instanceof ObjectNode group) {
                merge(group, (ObjectNode) e.getValue());
            } else {
                base.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static ObjectNode parent(ObjectNode tree, RunField field) {
        return field.group() == null ? tree : tree.withObjectProperty(field.group());
    }

    private static JsonNode at(ObjectNode tree, RunField field) {
        JsonNode parent = field.group() == null ? tree : tree.path(field.group());
        return parent.path(field.fieldName());
    }

    /** The setting a mapping error is about: {@code optimization.batchSize}. */
    private static String settingOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
