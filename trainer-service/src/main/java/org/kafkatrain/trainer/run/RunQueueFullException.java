package org.kafkatrain.trainer.run;

/** A run refused because {@code trainer.max-queued-runs} runs wait already: the API answers 429. */
public class RunQueueFullException extends RuntimeException {
    public RunQueueFullException(String message) {
        super(message);
    }
}
