package org.kafkatrain.trainer.loop;

import org.kafkatrain.engine.BatchResult;

/**
 * Sums over one pass of one split: samples, sample-weighted loss, top-1 and top-k hits. Percentages come from the
 * sums, never from averaging per-batch percentages.
 */
public final class EpochMeter {
    private long samples;
    private double lossSum;
    private long correct1;
    private long correct5;

    public void add(BatchResult r) {
        samples += r.samples();
        lossSum += r.loss() * r.samples();
        correct1 += r.correct1();
        correct5 += r.correct5();
    }

    public long samples() {
        return samples;
    }

    /** Mean loss per sample; 0 before the first batch. */
    public double meanLoss() {
        return samples == 0 ? 0 : lossSum / samples;
    }

    public long correct1() {
        return correct1;
    }

    public long correct5() {
        return correct5;
    }

    /** Top-1 in percent, or null before the first batch. */
    public Double top1() {
        return samples == 0 ? null : 100.0 * correct1 / samples;
    }

    /** Top-5 (top-k for fewer than 5 classes) in percent, or null before the first batch. */
    public Double top5() {
        return samples == 0 ? null : 100.0 * correct5 / samples;
    }
}
