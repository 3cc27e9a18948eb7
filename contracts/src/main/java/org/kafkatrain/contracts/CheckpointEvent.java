package org.kafkatrain.contracts;

import java.util.List;

/**
 * One complete checkpoint, announced on the compacted {@code training.checkpoints} topic keyed by run id (schema:
 * {@code schemas/checkpoint-event.v1.json}). The trainer sends it only after the object is stored and
 * {@code latest.json} names it, so a consumer that loads {@code object} always finds it whole; compaction keeps
 * each run's newest, so a consumer starting later still learns where every run stands.
 *
 * @param object        S3 key of the checkpoint ({@code runs/<id>/epoch-NNNN[-step-SSSSSSSS].tar}) in {@code bucket}
 * @param epochComplete whether it closes its epoch (then acc1/acc5 are that epoch's val top-1/top-5 %, else null)
 * @param loss          mean train loss of the epoch up to the checkpoint
 * @param best          key of the run's checkpoint with the best val top-1 so far
 * @param classes       class names, index = position, as the dataset's manifest has them
 * @param height        input height the model was trained on (pixels)
 * @param sha256        SHA-256 of the object's bytes, hex, to check a download against
 * @param bytes         the object's size
 * @param writtenAt     when {@code latest.json} moved to it, milliseconds since the epoch
 */
public record CheckpointEvent(
        int v,
        String runId,
        String bucket,
        String object,
        int epoch,
        boolean epochComplete,
        long step,
        double loss,
        Double acc1,
        Double acc5,
        String best,
        List<String> classes,
        int height,
        int width,
        int channels,
        String sha256,
        long bytes,
        long writtenAt) {
    public static final int VERSION = 1;
}
