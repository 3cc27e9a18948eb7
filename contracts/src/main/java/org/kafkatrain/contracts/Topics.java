package org.kafkatrain.contracts;

/** Default topic names and record header names shared by every service. All topic names are configurable. */
public final class Topics {
    public static final String IMAGES_TRAIN = "images.train";
    public static final String IMAGES_VAL = "images.val";
    public static final String IMAGES_TRAIN_DLQ = "images.train.dlq";
    public static final String TRAINING_STEPS = "training.steps";
    public static final String TRAINING_METRICS = "training.metrics";
    /** Compacted: run id -> {@link CheckpointEvent} of its newest complete checkpoint. */
    public static final String TRAINING_CHECKPOINTS = "training.checkpoints";
    /** Images to predict, in the encodings of {@code images.train} (labels optional). */
    public static final String IMAGES_INFER = "images.infer";

    public static final String IMAGES_INFER_DLQ = "images.infer.dlq";
    /** One prediction event per {@code images.infer} record, keyed by the record's key. */
    public static final String PREDICTIONS = "predictions";
    /** Compacted: dataset id -> {@link DatasetManifest}. */
    public static final String DATASETS = "datasets";

    /** Tells the two image encodings apart (see {@link ImageRecordCodec}). */
    public static final String HEADER_CONTENT_TYPE = "content-type";
    /** Class index of a single-image record. */
    public static final String HEADER_LABEL = "label";
    /** Dataset id of a single-image record (optional). */
    public static final String HEADER_DATASET = "dataset";

    public static final String HEADER_DEAD_LETTER_REASON = "dead-letter-reason";
    public static final String HEADER_DEAD_LETTER_PROBLEM = "dead-letter-problem";
    public static final String HEADER_ORIGIN_TOPIC = "dead-letter-topic";
    public static final String HEADER_ORIGIN_PARTITION = "dead-letter-partition";
    public static final String HEADER_ORIGIN_OFFSET = "dead-letter-offset";
    /** Set (to the value's size in bytes) when a dead letter is too large to copy: the value stays at its origin. */
    public static final String HEADER_DEAD_LETTER_VALUE_OMITTED = "dead-letter-value-omitted";

    private Topics() {}
}
