package org.kafkatrain.trainer;

/**
 * A run as GET /runs/{id} shows it.
 *
 * @param state          PENDING, RUNNING, STOPPING, STOPPED, FINISHED or FAILED
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

    public boolean active() {
        return state.equals(PENDING) || state.equals(RUNNING) || state.equals(STOPPING);
    }
}
