package org.kafkatrain.launcher;

/** A failure the user reads as one line: what went wrong and, where it helps, what to do. */
public final class LauncherException extends RuntimeException {
    LauncherException(String message) {
        super(message);
    }

    LauncherException(String message, Throwable cause) {
        super(message, cause);
    }
}
