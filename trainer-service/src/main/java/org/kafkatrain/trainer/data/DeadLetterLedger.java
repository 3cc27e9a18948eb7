package org.kafkatrain.trainer.data;

import org.kafkatrain.store.CheckpointEntries;

import java.util.HashMap;
import java.util.Map;

/**
 * How far each partition has been examined in this run, so that a bad record read again by a later epoch (or by
 * evaluation, which re-reads the val topic every epoch) goes to the dead-letter topic once, not once per pass.
 * Kept in the checkpoint with the count of records rejected so far.
 */
public final class DeadLetterLedger {
    private final Map<String, Long> examinedUpTo = new HashMap<>();
    private long rejected;

    public synchronized boolean firstLook(String topic, int partition, long offset) {
        String key = topic + "-" + partition;
        long seen = examinedUpTo.getOrDefault(key, 0L);
        if (offset < seen) {
            return false;
        }
        examinedUpTo.put(key, offset + 1);
        return true;
    }

    public synchronized void rejectedOne() {
        rejected++;
    }

    public synchronized long rejected() {
        return rejected;
    }

    public synchronized CheckpointEntries.DeadLetters toCheckpoint() {
        return new CheckpointEntries.DeadLetters(Map.copyOf(examinedUpTo), rejected);
    }

    public synchronized void restore(CheckpointEntries.DeadLetters stored) {
        examinedUpTo.clear();
        examinedUpTo.putAll(stored.examinedUpTo());
        rejected = stored.rejected();
    }
}
