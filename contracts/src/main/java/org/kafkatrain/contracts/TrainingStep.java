package org.kafkatrain.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One event on {@code training.steps}, keyed by run id (schema: {@code schemas/training-step.v1.json}).
 * <p>
 * {@code type=step}: one optimizer step ({@code split=train}) or one evaluation batch ({@code split=val});
 * {@code samples} is the batch size, {@code loss} the batch's mean cross-entropy, {@code correct1}/{@code correct5}
 * the batch's top-1/top-5 hits counted as PyTorch's reference does.
 * <p>
 * {@code type=epoch_end}: the split's epoch is complete; {@code samples} is its sample count and the other figures
 * are the trainer's totals for it, so a consumer can tell when it has seen every step of the epoch.
 *
 * @param step      global optimizer step (for val events: the step the evaluated weights came from)
 * @param batch     index of the batch within this split's epoch
 * @param rejected  records sent to the dead-letter topic so far in this run
 * @param timestamp event time, milliseconds since the epoch
 * @param sampleDigest {@link SampleDigest} of the batch's sample ids, 16 hex digits, for audits; null in
 *                     {@code epoch_end} events
 */
public record TrainingStep(
        int v,
        String type,
        String runId,
        String split,
        int epoch,
        long step,
        int batch,
        int samples,
        double loss,
        long correct1,
        long correct5,
        double lr,
        double imagesPerSec,
        long rejected,
        long timestamp,
        String sampleDigest) {
    public static final int VERSION = 1;
    public static final String STEP = "step";
    public static final String EPOCH_END = "epoch_end";
    public static final String TRAIN = "train";
    public static final String VAL = "val";

    @JsonIgnore
    public boolean isEpochEnd() {
        return EPOCH_END.equals(type);
    }
}
