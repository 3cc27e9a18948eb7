package org.kafkatrain.contracts.runs;

import java.util.List;

/**
 * What a user sends to start a run ({@code POST /runs}). Unset fields take the trainer's defaults (the tutorial's
 * hyperparameters, the configured topics and device); the dataset's manifest supplies the class count and image
 * shape.
 *
 * @param mode            {@link RunMode#EPOCHS} or {@link RunMode#CONTINUOUS}
 * @param epochs          epochs to train (null: 1 for a new run, the stored number for a resumed one)
 * @param epochSamples    samples per epoch in continuous mode
 * @param checkpointEvery also checkpoint every N optimizer steps (0: at epoch ends only)
 * @param keepLast        epoch checkpoints kept besides the best-top-1 one
 * @param shuffleBuffer   samples held by the streaming shuffle (at least the epoch size for a full shuffle)
 * @param maxEvalSamples  cap on validation samples per epoch (0: the whole val topic)
 * @param initWeights     a new run's starting weights instead of random ones: an object key in the checkpoint bucket
 *                        or a {@code file:} path on the trainer, holding torchvision's ResNet-50 state dict saved by
 *                        {@code torch.save} or a kafka-train checkpoint; {@code fc} is replaced when the class count
 *                        differs
 * @param freezeEpochs    train only {@code fc} for this many first epochs (with initWeights)
 * @param fromRun         fork: start from this run's checkpoint (weights, Adam, StepLR, offsets), its stored
 *                        config taking the place of the defaults, this request's fields overriding it
 * @param fromCheckpoint  the checkpoint of {@code fromRun}: {@code latest}, {@code best} or an object name
 * @param precision       {@code fp32}, {@code tf32} (TF32 matmuls on CUDA) or {@code bf16} (bfloat16 autocast);
 *                        weights and checkpoints stay float32
 * @param channelsLast    weights and inputs in NHWC memory layout
 * @param adam            Adam's kernel: {@code fused} (ATen's {@code _fused_adam_}) or {@code for-loop}
 * @param replicas        trainer processes training the run data-parallel (each gets this request, and its rank
 *                        from its own config); the global batch is {@code replicas * batchSize}
 * @param wholeTopics     read the train and val topics whole, not only the records the dataset's manifest pins there:
 *                        for records any client adds to a dataset's topics (null: false)
 */
public record RunConfig(
        String runId,
        String dataset,
        String trainTopic,
        String valTopic,
        RunMode mode,
        Integer epochs,
        Long epochSamples,
        Double lr,
        Double beta1,
        Double beta2,
        Double eps,
        Double weightDecay,
        Integer stepSize,
        Double gamma,
        Integer batchSize,
        Integer evalBatchSize,
        List<Double> mean,
        List<Double> std,
        Long seed,
        Boolean augment,
        String device,
        Integer checkpointEvery,
        Integer keepLast,
        Integer shuffleBuffer,
        Long maxEvalSamples,
        String initWeights,
        Integer freezeEpochs,
        String fromRun,
        String fromCheckpoint,
        String precision,
        Boolean channelsLast,
        String adam,
        Integer replicas,
        Boolean wholeTopics) {

    /** Replicas of the run; 1 when the request or an older stored config does not say. */
    public int replicaCount() {
        return replicas == null ? 1 : replicas;
    }

    /** Whether the run reads its topics whole; false when the request or an older stored config does not say. */
    public boolean readsWholeTopics() {
        return Boolean.TRUE.equals(wholeTopics);
    }

    /** A request naming only the run and its dataset: everything else takes the trainer's defaults. */
    public static RunConfig of(String runId, String dataset) {
        return new RunConfig(
                runId, dataset, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }
}
