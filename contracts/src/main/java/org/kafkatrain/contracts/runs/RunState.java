package org.kafkatrain.contracts.runs;

/** Where a run is in its life, as {@code GET /runs/{id}} reports it. */
public enum RunState {
    /** Waiting for a free slot ({@code trainer.max-concurrent-runs}); its place is the status's queuePosition. */
    QUEUED,
    PENDING,
    RUNNING,
    /** A stop was requested: the current step finishes and a checkpoint is written. */
    STOPPING,
    STOPPED,
    FINISHED,
    FAILED,
    /**
     * Not running in this trainer, with epochs left and its checkpoints in the bucket: POST the run again to resume
     * it. A run whose last epoch's checkpoint is in the bucket reads FINISHED instead (POST it with more epochs to
     * go on).
     */
    RESUMABLE;

    /** Still holds the device: a second run must wait. */
    public boolean active() {
        return this == PENDING || this == RUNNING || this == STOPPING;
    }

    /** Started here and not ended yet: queued, or holding a slot. */
    public boolean live() {
        return this == QUEUED || active();
    }

    /** Will not change any more in this trainer. */
    public boolean ended() {
        return this == STOPPED || this == FINISHED || this == FAILED;
    }
}
