package org.kafkatrain.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which checkpoints of a run to delete. Epoch checkpoints: all but the newest {@code keepLast}, never the best nor
 * latest's. Mid-epoch (step) checkpoints only serve to resume their epoch, so they go once a newer epoch checkpoint
 * exists; they never count against {@code keepLast}.
 */
public final class Retention {
    private Retention() {}

    /**
     * @param keys object keys of the run's checkpoints; their names sort by epoch then step, a step checkpoint
     *             before its epoch's end ({@code epoch-NNNN-step-SSSSSSSS.tar} before {@code epoch-NNNN.tar})
     * @return the keys to delete, newest first
     */
    public static List<String> toDelete(List<String> keys, int keepLast, LatestCheckpoint latest) {
        List<String> newestFirst =
                keys.stream().distinct().sorted(Comparator.reverseOrder()).toList();
        List<String> epochs = newestFirst.stream().filter(k -> !isStep(k)).toList();
        String newestEpoch = epochs.isEmpty() ? null : epochs.get(0);
        List<String> delete = new ArrayList<>();
        for (String key : newestFirst) {
            boolean expendable = isStep(key)
                    ? newestEpoch != null && key.compareTo(newestEpoch) < 0
                    : epochs.indexOf(key) >= keepLast;
            if (expendable && !key.equals(latest.best()) && !key.equals(latest.object())) {
                delete.add(key);
            }
        }
        return delete;
    }

    private static boolean isStep(String key) {
        return key.contains("-step-");
    }
}
