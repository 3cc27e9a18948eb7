package org.kafkatrain.trainer.run;

/** A run cannot start now because another one holds the device; the API answers 409. */
public final class RunConflictException extends RuntimeException {
    public RunConflictException(String message) {
        super(message);
    }
}
