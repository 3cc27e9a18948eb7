package org.kafkatrain.engine;

/**
 * A collective of a replica group failed: another replica died, hung past the group's timeout, or its connection
 * broke. The group cannot go on; it restarts, every replica together, from the run's last checkpoint.
 */
public final class ReplicaLostException extends RuntimeException {
    public ReplicaLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
