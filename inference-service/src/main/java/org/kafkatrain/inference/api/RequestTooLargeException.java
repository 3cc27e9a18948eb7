package org.kafkatrain.inference.api;

/** A request asking for more than a configured bound allows (images, pixels): the REST API answers 413. */
public class RequestTooLargeException extends RuntimeException {
    public RequestTooLargeException(String message) {
        super(message);
    }
}
