package org.kafkatrain.store;

/**
 * {@code runs/<run-id>/latest.json}: the pointer to the newest complete checkpoint, written only after the object
 * it names is fully stored, so a crash mid-upload never leaves it pointing at a partial object.
 *
 * @param object        key of the checkpoint object
 * @param epochComplete whether the checkpoint closes its epoch (false for an every-N-steps checkpoint)
 * @param best          key of the checkpoint with the best validation top-1 so far (kept when older ones are pruned)
 * @param sha256        SHA-256 of the object's bytes, hex (null in pointers written before it was recorded)
 */
public record LatestCheckpoint(
        int v,
        String runId,
        String object,
        int epoch,
        boolean epochComplete,
        long step,
        double loss,
        Double acc1,
        Double acc5,
        String best,
        Double bestAcc1,
        long writtenAt,
        String sha256) {
    public static final int VERSION = 1;

    public LatestCheckpoint withSha256(String hex) {
        return new LatestCheckpoint(
                v, runId, object, epoch, epochComplete, step, loss, acc1, acc5, best, bestAcc1, writtenAt, hex);
    }
}
