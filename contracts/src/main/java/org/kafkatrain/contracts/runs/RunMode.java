package org.kafkatrain.contracts.runs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a run defines its epochs. Written in JSON in lower case ({@code "epochs"}, {@code "continuous"}). */
public enum RunMode {
    /** Each epoch is what the train topic holds when the epoch starts. */
    EPOCHS,
    /** Follow the topic; an epoch is {@code epochSamples} new samples. */
    CONTINUOUS;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RunMode parse(String value) {
        for (RunMode mode : values()) {
            if (mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode must be one of "
                + Arrays.stream(values()).map(RunMode::json).collect(Collectors.joining(", ")) + ": " + value);
    }
}
