package org.kafkatrain.trainer.loop;

import org.kafkatrain.engine.BatchResult;
import org.kafkatrain.trainer.store.ResumePoint;

/**
 * One optimizer step or one evaluation batch, as listeners hear of it.
 *
 * @param batch        index of the batch within this pass
 * @param meter        sums over this pass so far, this batch included
 * @param position     where the run is after this batch (for evaluation: after the epoch's training)
 * @param queued       batches the data path had ready, waiting for the device
 * @param sampleDigest the batch's {@link org.kafkatrain.engine.Batch#sampleDigest()}
 */
public record BatchEvent(
        Split split,
        int epoch,
        int batch,
        BatchResult result,
        double imagesPerSec,
        double lr,
        EpochMeter meter,
        ResumePoint position,
        int queued,
        long sampleDigest) {}
