package org.kafkatrain.metrics;

import org.kafkatrain.contracts.TrainingStep;

/** Keys of the state stores: run id first, so one run's entries sort together and prefix scans find them. */
final class StreamKeys {
    static final char SEP = '|';

    private StreamKeys() {}

    /** Identity of a step event: a train step is unique per run and step, an eval batch per run, epoch and batch. */
    static String eventId(TrainingStep s) {
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

    static String runSplit(String runId, String split) {
        return runId + SEP + split;
    }

    static String runSplitEpoch(String runId, String split, int epoch) {
        return runId + SEP + split + SEP + String.format("%06d", epoch);
    }

    static String latest(String runId, String split, String kind) {
        return runId + SEP + split + SEP + kind;
    }

    static String runOf(String key) {
        return key.substring(0, key.indexOf(SEP));
    }
}
