package org.kafkatrain.stack;

/** The launcher's voice on standard error: {@code kafka-train: <what happened>}. */
public final class Console {
    private Console() {}

    public static void say(String message) {
        System.err.println("kafka-train: " + message);
    }
}
