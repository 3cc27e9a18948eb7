package org.kafkatrain.trainer;

/**
 * A run as GET /runs/{id} shows it.
 *
 * @param state          PENDING, RUNNING, STOPPING, STOPPED, FINISHED, FAILED, or RESUMABLE for a run that has
 *                       checkpoints in the bucket but is not running in this process (POST it again to resume)
 * @param etaSeconds     estimated seconds until the last epoch ends (-1 when unknown)
 * @param lastCheckpoint object key of the newest complete checkpoint
 */
public record RunStatus(String runId, String state, int epoch, int epochs, long step, double lr, double loss,
                        double imagesPerSec, long epochSamplesDone, long epochSamplesTotal, long etaSeconds,
                        String lastCheckpoint, Double lastValTop1, Double lastValTop5, long rejected, String message) {
    public static final String PENDING = "PENDING";
    public static final String RUNNING = "RUNNING";
    public static final String STOPPING = "STOPPING";
    public static final String STOPPED = "STOPPED";
    public static final String FINISHED = "FINISHED";
    public static final String FAILED = "FAILED";
    public static final String RESUMABLE = "RESUMABLE";

    static RunStatus fromCheckpoint(LatestCheckpoint latest) {
        return new RunStatus(latest.runId(), RESUMABLE, latest.epoch(), 0, latest.step(), 0, latest.loss(), 0, 0, 0, -1, latest.object(),
                latest.acc1(), latest.acc5(), 0, "");
    }

    public boolean active() {
        return state.equals(PENDING) || state.equals(RUNNING) || state.equals(STOPPING);
    }
}
