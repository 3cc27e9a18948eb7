package org.kafkatrain.metrics.streams;

/**
 * The resolutions of the step history and the keys of its store. Level 0 holds one bucket per step, each level up
 * a bucket per 16 times as many; each level keeps its newest {@code retain} buckets, so a run's history is bounded
 * (5 x retain buckets) and a million-step run still has every step since its start at the coarsest level.
 */
public final class SeriesLevels {
    public static final String STORE = "step-series";
    public static final long[] WIDTHS = {1, 16, 256, 4096, 65536};

    private SeriesLevels() {}

    /** {@code run|split|level|index}, the index zero-padded so that the store's byte order is the step order. */
    public static String key(String runId, String split, int level, long index) {
        return runId + StreamKeys.SEP + split + StreamKeys.SEP + level + StreamKeys.SEP + String.format("%016d", index);
    }

    public static long index(int level, long step) {
        return Math.max(0, step) / WIDTHS[level];
    }
}
