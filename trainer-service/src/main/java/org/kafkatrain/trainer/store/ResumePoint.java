package org.kafkatrain.trainer.store;

import org.kafkatrain.store.CheckpointEntries;
import org.kafkatrain.store.LatestCheckpoint;

import java.util.Map;

/**
 * Where a run continues, read from its checkpoint: the epoch, whether it was complete, how many samples of it were
 * already trained, the global step and the Kafka offsets that define the epoch.
 *
 * @param epochStart partition -> first offset of the epoch
 * @param epochEnd   partition -> end offset of the epoch (epochs mode), or the next epoch's start (continuous mode)
 */
public record ResumePoint(
        int epoch,
        boolean epochComplete,
        long epochSamples,
        long step,
        Map<Integer, Long> runStart,
        Map<Integer, Long> epochStart,
        Map<Integer, Long> epochEnd,
        Double bestAcc1,
        String bestObject) {

    public static ResumePoint fresh(Map<Integer, Long> runStart) {
        return new ResumePoint(0, false, 0, 0, runStart, runStart, null, null, null);
    }

    /** Training epoch {@code epoch}, {@code samples} of it done, over [start, end); run start and best kept. */
    public ResumePoint inEpoch(
            int epochOf, long samples, long stepNow, Map<Integer, Long> start, Map<Integer, Long> end) {
        return new ResumePoint(epochOf, false, samples, stepNow, runStart, start, end, bestAcc1, bestObject);
    }

    /** One more optimizer step of this epoch: {@code samples} of it done now, at global step {@code stepNow}. */
    public ResumePoint advanced(long samples, long stepNow) {
        return inEpoch(epoch, samples, stepNow, epochStart, epochEnd);
    }

    /** The epoch's reading is over; {@code end} is where it stopped (the next epoch's start in continuous mode). */
    public ResumePoint endedAt(Map<Integer, Long> end) {
        return inEpoch(epoch, epochSamples, step, epochStart, end);
    }

    /** This position once a checkpoint of it is stored. */
    public ResumePoint checkpointed(boolean complete, Double best, String bestKey) {
        return new ResumePoint(epoch, complete, epochSamples, step, runStart, epochStart, epochEnd, best, bestKey);
    }

    /** A checkpoint stored in the middle of this epoch, to be continued. */
    public boolean midEpoch() {
        return !epochComplete && epochSamples > 0;
    }

    /** Where a checkpoint left its run; best from {@code latest} (may be null). */
    public static ResumePoint of(CheckpointEntries checkpoint, LatestCheckpoint latest) {
        return new ResumePoint(
                checkpoint.epoch(),
                checkpoint.epochComplete(),
                checkpoint.epochSamples(),
                checkpoint.step(),
                checkpoint.offsets().runStart(),
                checkpoint.offsets().epochStart(),
                checkpoint.offsets().epochEnd(),
                latest == null ? null : latest.bestAcc1(),
                latest == null ? null : latest.best());
    }

    /**
     * Where a fork of a run continues: the parent checkpoint's epoch, samples, step and offsets, so the fork sees
     * exactly the data the parent would have seen next; the best-so-far starts anew, being the fork's own.
     */
    public static ResumePoint forkedFrom(CheckpointEntries checkpoint) {
        ResumePoint parent = of(checkpoint, null);
        return new ResumePoint(
                parent.epoch,
                parent.epochComplete,
                parent.epochSamples,
                parent.step,
                parent.runStart,
                parent.epochStart,
                parent.epochEnd,
                null,
                null);
    }
}
