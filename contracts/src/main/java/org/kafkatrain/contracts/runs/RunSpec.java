package org.kafkatrain.contracts.runs;

import java.util.List;

/**
 * A run as it trains: every setting resolved, grouped by what it shapes (schema: {@code schemas/run-spec.v2.json}).
 * Requests ({@link RunRequest}) leave out what they like; {@link RunField} owns the defaults and says which settings a
 * resumed run may change. {@code GET /runs/{id}/config} returns this; {@code run.json} stores it.
 *
 * @param epochs epochs to train; a resumed run may extend them
 */
public record RunSpec(
        int v,
        String runId,
        int epochs,
        Data data,
        Optimization optimization,
        Evaluation evaluation,
        Compute compute,
        Checkpointing checkpointing,
        Start start,
        Distribution distribution) {
    public static final int VERSION = 2;

    /**
     * What the run trains on, in which order, and how samples are prepared.
     *
     * @param wholeTopics   read the topics whole, not only the records the dataset's manifest pins there
     * @param epochSamples  samples per epoch in continuous mode (0 in epochs mode)
     * @param shuffleBuffer samples held by the streaming shuffle (at least the epoch size for a full shuffle)
     * @param seed          the shuffle's seed (and augmentation's); each epoch's order follows from it
     * @param augment       random crop and flip, seeded
     * @param mean          per-channel normalization, RGB
     */
    public record Data(
            String dataset,
            String trainTopic,
            String valTopic,
            boolean wholeTopics,
            RunMode mode,
            long epochSamples,
            int shuffleBuffer,
            long seed,
            boolean augment,
            List<Double> mean,
            List<Double> std) {
        public Data {
            mean = mean == null ? null : List.copyOf(mean);
            std = std == null ? null : List.copyOf(std);
        }
    }

    /** The tutorial's optimisation: Adam, StepLR, cross-entropy; {@code batchSize} per replica. */
    public record Optimization(
            int batchSize,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            int stepSize,
            double gamma) {}

    /** @param maxSamples cap on validation samples per epoch (0: all of them) */
    public record Evaluation(int batchSize, long maxSamples) {}

    /**
     * How steps are computed: these change float rounding, not what the run trains on.
     *
     * @param device {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}
     */
    public record Compute(String device, Precision precision, boolean channelsLast, AdamKernel adam) {}

    /**
     * @param every    also checkpoint every N optimizer steps (0: at epoch ends only)
     * @param keepLast epoch checkpoints kept besides the best-top-1 one
     */
    public record Checkpointing(int every, int keepLast) {}

    /**
     * Where a new run's weights come from: random (all null), {@code initWeights} (an object key in the bucket or a
     * {@code file:} path on the trainer, torchvision's state dict or a kafka-train checkpoint), or a fork of
     * {@code fromRun}'s checkpoint {@code fromCheckpoint} (weights, Adam, StepLR, offsets).
     *
     * @param freezeEpochs train only {@code fc} for this many first epochs (with initWeights)
     */
    public record Start(String initWeights, int freezeEpochs, String fromRun, String fromCheckpoint) {}

    /** @param replicas trainer processes training the run data-parallel; the global batch is replicas x batchSize */
    public record Distribution(int replicas) {}
}
