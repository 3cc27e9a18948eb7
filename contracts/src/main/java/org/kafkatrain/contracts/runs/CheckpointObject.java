package org.kafkatrain.contracts.runs;

import java.util.Map;

/**
 * A run's checkpoint object in the bucket, as {@code GET /runs/{id}/checkpoints} lists it: its key and size, and the
 * user metadata the trainer stored with it (null where it has none, as acc1 of a mid-epoch checkpoint).
 *
 * @param loss the epoch's mean train loss when the checkpoint was taken
 * @param acc1 val top-1 % of its epoch, for an epoch's checkpoint
 */
public record CheckpointObject(
        String object, long bytes, Integer epoch, Long step, Double loss, Double acc1, Double acc5, String sha256) {

    /** From an object's key, size and user metadata (strings; an empty one is no value). */
    public static CheckpointObject of(String object, long bytes, Map<String, String> metadata) {
        return new CheckpointObject(
                object,
                bytes,
                parse(metadata.get("epoch"), Integer::valueOf),
                parse(metadata.get("step"), Long::valueOf),
                parse(metadata.get("loss"), Double::valueOf),
                parse(metadata.get("acc1"), Double::valueOf),
                parse(metadata.get("acc5"), Double::valueOf),
                parse(metadata.get("sha256"), s -> s));
    }

    /** A metadata value, or null where there is none or it does not read (a listing shows what it can). */
    private static <T> T parse(String value, java.util.function.Function<String, T> parser) {
        try {
            return value == null || value.isBlank() ? null : parser.apply(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
