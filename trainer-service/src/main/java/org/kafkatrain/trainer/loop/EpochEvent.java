package org.kafkatrain.trainer.loop;

import org.kafkatrain.trainer.store.ResumePoint;

/**
 * The end of a pass over one split.
 *
 * @param samples the epoch's sample count (for training, with the samples a resumed epoch had trained before)
 * @param meter   sums over the batches of this pass in this process
 */
public record EpochEvent(Split split, int epoch, long samples, EpochMeter meter, double lr, ResumePoint position) {}
