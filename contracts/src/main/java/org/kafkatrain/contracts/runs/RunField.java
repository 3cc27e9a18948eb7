package org.kafkatrain.contracts.runs;

import org.kafkatrain.contracts.Topics;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every setting of a run, declared once: where it sits in a {@link RunSpec}, its name in the flat v1 request and
 * run.json, its default, whether a resumed run may change it, and the {@code ./kafka-train train} option that sets it.
 * The trainer's defaults, the resume rule, the CLI's help and the 409 a refused change gets all come from here.
 */
public enum RunField {
    EPOCHS(null, "epochs", "epochs", 1, Resume.ADJUSTABLE, "--epochs"),
    DATASET("data", "dataset", "dataset", "fashion-mnist", Resume.FIXED, "--dataset"),
    TRAIN_TOPIC("data", "trainTopic", "trainTopic", Topics.IMAGES_TRAIN, Resume.FIXED, "--train-topic"),
    VAL_TOPIC("data", "valTopic", "valTopic", Topics.IMAGES_VAL, Resume.FIXED, "--val-topic"),
    WHOLE_TOPICS("data", "wholeTopics", "wholeTopics", false, Resume.FIXED, "--whole-topics"),
    MODE("data", "mode", "mode", RunMode.EPOCHS, Resume.FIXED, "--mode"),
    EPOCH_SAMPLES("data", "epochSamples", "epochSamples", 0L, Resume.FIXED, "--epoch-samples"),
    SHUFFLE_BUFFER("data", "shuffleBuffer", "shuffleBuffer", 10_000, Resume.FIXED, "--shuffle-buffer"),
    SEED("data", "seed", "seed", 42L, Resume.FIXED, "--seed"),
    AUGMENT("data", "augment", "augment", false, Resume.FIXED, "--augment"),
    MEAN("data", "mean", "mean", List.of(0.485, 0.456, 0.406), Resume.FIXED, null),
    STD("data", "std", "std", List.of(0.229, 0.224, 0.225), Resume.FIXED, null),
    BATCH_SIZE("optimization", "batchSize", "batchSize", 32, Resume.FIXED, "--batch-size"),
    LR("optimization", "lr", "lr", 1e-3, Resume.FIXED, "--lr"),
    BETA1("optimization", "beta1", "beta1", 0.9, Resume.FIXED, null),
    BETA2("optimization", "beta2", "beta2", 0.999, Resume.FIXED, null),
    EPS("optimization", "eps", "eps", 1e-8, Resume.FIXED, null),
    WEIGHT_DECAY("optimization", "weightDecay", "weightDecay", 0.0, Resume.FIXED, "--weight-decay"),
    STEP_SIZE("optimization", "stepSize", "stepSize", 20, Resume.FIXED, "--step-size"),
    GAMMA("optimization", "gamma", "gamma", 0.1, Resume.FIXED, "--gamma"),
    /** Null by default: twice the batch size. */
    EVAL_BATCH_SIZE("evaluation", "batchSize", "evalBatchSize", null, Resume.ADJUSTABLE, "--eval-batch-size"),
    MAX_EVAL_SAMPLES("evaluation", "maxSamples", "maxEvalSamples", 0L, Resume.ADJUSTABLE, "--max-eval-samples"),
    DEVICE("compute", "device", "device", Deployment.DEVICE, Resume.ADJUSTABLE, "--device"),
    PRECISION("compute", "precision", "precision", Precision.FP32, Resume.ADJUSTABLE, "--precision"),
    CHANNELS_LAST("compute", "channelsLast", "channelsLast", false, Resume.ADJUSTABLE, "--channels-last"),
    ADAM("compute", "adam", "adam", AdamKernel.parse(Deployment.ADAM), Resume.ADJUSTABLE, "--adam"),
    CHECKPOINT_EVERY("checkpointing", "every", "checkpointEvery", 0, Resume.ADJUSTABLE, "--checkpoint-every"),
    KEEP_LAST("checkpointing", "keepLast", "keepLast", 3, Resume.ADJUSTABLE, "--keep-last"),
    INIT_WEIGHTS("start", "initWeights", "initWeights", null, Resume.FIXED, "--init-weights"),
    FREEZE_EPOCHS("start", "freezeEpochs", "freezeEpochs", 0, Resume.FIXED, "--freeze-epochs"),
    FROM_RUN("start", "fromRun", "fromRun", null, Resume.FIXED, "--from-run"),
    /** Null by default: {@code latest} when {@code fromRun} is set. */
    FROM_CHECKPOINT("start", "fromCheckpoint", "fromCheckpoint", null, Resume.FIXED, "--from-checkpoint"),
    REPLICAS("distribution", "replicas", "replicas", 1, Resume.FIXED, "--replicas");

    /**
     * The defaults a trainer's configuration may replace for its new runs (its {@code trainer.*} settings name these
     * constants); a run's dataset and topics come from its request or its manifest.
     */
    public static final class Deployment {
        public static final String DEVICE = "auto";
        public static final String ADAM = "fused";

        private Deployment() {}
    }

    /** The checkpoint of a run that {@code fromCheckpoint} names unless told: its newest complete one. */
    public static final String LATEST_CHECKPOINT = "latest";

    private final String group;
    private final String name;
    private final String v1Name;
    private final Object defaultValue;
    private final Resume resume;
    private final String option;

    RunField(String group, String name, String v1Name, Object defaultValue, Resume resume, String option) {
        this.group = group;
        this.name = name;
        this.v1Name = v1Name;
        this.defaultValue = defaultValue;
        this.resume = resume;
        this.option = option;
    }

    /** Whether a resumed run may change the setting: only what touches neither its samples, their order, nor its state. */
    public enum Resume {
        /** How a resumed run goes on: its length, how steps are computed (float rounding), checkpoints, evaluation. */
        ADJUSTABLE,
        /** What it trains on and how: changing it breaks the exact resume, so it needs an explicit override. */
        FIXED
    }

    /** The group in a {@link RunSpec} ({@code data}, {@code optimization}, ...), or null for a top-level field. */
    public String group() {
        return group;
    }

    /** The name within its group. */
    public String fieldName() {
        return name;
    }

    /** Where it sits in a spec: {@code optimization.lr}, {@code epochs}. */
    public String path() {
        return group == null ? name : group + "." + name;
    }

    /** Its name in a flat v1 request or run.json. */
    public String v1Name() {
        return v1Name;
    }

    /** The default of a new run, or null where it follows from other settings (see the constants). */
    public Object defaultValue() {
        return defaultValue;
    }

    public boolean adjustableOnResume() {
        return resume == Resume.ADJUSTABLE;
    }

    /** The {@code ./kafka-train train} option that sets it, if there is one. */
    public Optional<String> option() {
        return Optional.ofNullable(option);
    }

    public static Optional<RunField> byV1Name(String name) {
        return Arrays.stream(values()).filter(f -> f.v1Name.equals(name)).findFirst();
    }

    public static Optional<RunField> byPath(String group, String name) {
        return Arrays.stream(values())
                .filter(f -> java.util.Objects.equals(f.group, group) && f.name.equals(name))
                .findFirst();
    }

    /** The fields a resumed run may change, as {@code ./kafka-train train --help} and a refused resume list them. */
    public static String adjustableOnResumeText() {
        return Arrays.stream(values())
                .filter(RunField::adjustableOnResume)
                .map(f -> f.option().map(o -> o + " (" + f.path() + ")").orElse(f.path()))
                .collect(Collectors.joining(", "));
    }
}
