package org.kafkatrain.stack;

/** Why the stack could not do what it was asked, in one line for {@code kafka-train: <message>}. */
public final class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
