package org.kafkatrain.contracts.runs;

/**
 * One rank of a data-parallel run, as it last reported itself through the group's store.
 *
 * @param epochSamples samples of the epoch this rank trained itself (its stripe)
 * @param reportedAt   epoch millis of the report
 */
public record ReplicaStatus(
        int rank, RunState state, int epoch, long step, long epochSamples, Double imagesPerSec, long reportedAt) {}
