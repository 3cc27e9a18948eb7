package org.kafkatrain.metrics.streams;

import org.kafkatrain.contracts.TrainingStep;

/** Keys of the state stores: run id first, so one run's entries sort together and prefix scans find them. */
public final class StreamKeys {
    public static final char SEP = '|';

    private StreamKeys() {}

    /** Identity of a step event: a train step is unique per run and step, an eval batch per run, epoch and batch. */
    public static String eventId(TrainingStep s) {
        return s.runId()
                + SEP
                + s.split()
                + SEP
                + s.type()
                + SEP
                + s.epoch()
                + SEP
                + (s.split().equals(TrainingStep.TRAIN) && !s.isEpochEnd() ? s.step() : s.batch());
    }

    public static String runSplit(String runId, String split) {
        return runId + SEP + split;
    }

    public static String runSplitEpoch(String runId, String split, int epoch) {
        return runId + SEP + split + SEP + String.format("%06d", epoch);
    }

    public static String latest(String runId, String split, String kind) {
        return runId + SEP + split + SEP + kind;
    }

    public static String runOf(String key) {
        return key.substring(0, key.indexOf(SEP));
    }
}
