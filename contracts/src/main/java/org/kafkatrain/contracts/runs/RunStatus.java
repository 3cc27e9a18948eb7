package org.kafkatrain.contracts.runs;

import java.util.List;

/**
 * A run as {@code GET /runs/{id}} shows it.
 *
 * @param etaSeconds     estimated seconds until the last epoch ends (null while unknown)
 * @param lastCheckpoint object key of the newest complete checkpoint
 * @param lastValTop1    val top-1 % of the last evaluated epoch (null before the first evaluation)
 * @param queuePosition  1 for the next run to start, while {@link RunState#QUEUED}; else null
 * @param replicas       every rank of a data-parallel run, as rank 0 last heard from it; null for one process
 */
public record RunStatus(
        String runId,
        RunState state,
        int epoch,
        int epochs,
        long step,
        double lr,
        Double loss,
        Double imagesPerSec,
        long epochSamplesDone,
        long epochSamplesTotal,
        Long etaSeconds,
        String lastCheckpoint,
        Double lastValTop1,
        Double lastValTop5,
        long rejected,
        String message,
        Integer queuePosition,
        List<ReplicaStatus> replicas) {

    public RunStatus withReplicas(List<ReplicaStatus> ranks) {
        return with(state, message, queuePosition, ranks);
    }

    public RunStatus withState(RunState newState) {
        return with(newState, message, queuePosition, replicas);
    }

    /** This status as a queued run's, at {@code position}. */
    public RunStatus queuedAt(int position) {
        return with(
                RunState.QUEUED,
                "waiting for a free slot: " + (position - 1) + " queued before it",
                position,
                replicas);
    }

    private RunStatus with(RunState newState, String newMessage, Integer newPosition, List<ReplicaStatus> newReplicas) {
        return new RunStatus(
                runId,
                newState,
                epoch,
                epochs,
                step,
                lr,
                loss,
                imagesPerSec,
                epochSamplesDone,
                epochSamplesTotal,
                etaSeconds,
                lastCheckpoint,
                lastValTop1,
                lastValTop5,
                rejected,
                newMessage,
                newPosition,
                newReplicas);
    }
}
