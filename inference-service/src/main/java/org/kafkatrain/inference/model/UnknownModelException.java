package org.kafkatrain.inference.model;

/** A run, or a checkpoint of it, that the bucket does not hold: the REST API answers 404. */
public class UnknownModelException extends RuntimeException {
    public UnknownModelException(String message) {
        super(message);
    }
}
