package org.kafkatrain.contracts;

import java.util.List;

/**
 * The predictions for one {@code images.infer} record, on {@code predictions} keyed by that record's key (schema:
 * {@code schemas/prediction.v1.json}).
 *
 * @param key        the input record's key (null when it had none)
 * @param checkpoint the S3 object key of the checkpoint that answered
 * @param topic      where the input record is: topic, partition and offset
 * @param images     one entry per image of the record, in its order
 * @param latencyMs  from the record's arrival in the service to its predictions
 * @param timestamp  when the predictions were made, milliseconds since the epoch
 */
public record Prediction(
        int v,
        String key,
        String runId,
        String checkpoint,
        String topic,
        int partition,
        long offset,
        List<ImagePrediction> images,
        double latencyMs,
        long timestamp) {
    public static final int VERSION = 1;

    /**
     * @param id    the sample id (from the envelope, or {@code topic-partition@offset[#i]})
     * @param label the label the record carried, or null when it had none
     * @param top   the most probable classes, most probable first
     */
    public record ImagePrediction(String id, Integer label, List<TopClass> top) {}
}
