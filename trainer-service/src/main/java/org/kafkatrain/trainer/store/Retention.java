package org.kafkatrain.trainer.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Which checkpoints of a run to delete: all but the newest {@code keepLast}, except the best one and latest's. */
public final class Retention {
    private Retention() {}

    /**
     * @param keys object keys of the run's checkpoints; their names sort by epoch then step
     *             ({@code epoch-NNNN.tar}, {@code epoch-NNNN-step-SSSSSSSS.tar})
     * @return the keys to delete, newest first
     */
    public static List<String> toDelete(List<String> keys, int keepLast, LatestCheckpoint latest) {
        List<String> newestFirst =
                keys.stream().distinct().sorted(Comparator.reverseOrder()).toList();
        List<String> delete = new ArrayList<>();
        for (int i = keepLast; i < newestFirst.size(); i++) {
            String key = newestFirst.get(i);
            if (!key.equals(latest.best()) && !key.equals(latest.object())) {
                delete.add(key);
            }
        }
        return delete;
    }
}
