package org.kafkatrain.trainer.run;

/** A run cannot start as asked: another one holds the device, or it conflicts with the run's stored config; 409. */
public final class RunConflictException extends RuntimeException {
    public RunConflictException(String message) {
        super(message);
    }
}
