package org.kafkatrain.inference.model;

import java.util.List;

/**
 * What a served model is: the run and checkpoint it came from, what it was trained on, and when it was loaded.
 *
 * @param checkpoint S3 object key of the checkpoint
 * @param acc1       val top-1 % of the checkpoint's epoch (null for a mid-epoch checkpoint)
 * @param sha256     the checkpoint's SHA-256 as the trainer recorded it, which the download hashed to
 */
public record ModelInfo(
        String runId,
        String checkpoint,
        int epoch,
        boolean epochComplete,
        long step,
        Double acc1,
        Double acc5,
        String sha256,
        List<String> classes,
        int height,
        int width,
        int channels,
        List<Double> mean,
        List<Double> std,
        long loadedAt) {}
