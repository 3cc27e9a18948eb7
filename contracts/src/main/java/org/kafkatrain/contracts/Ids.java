package org.kafkatrain.contracts;

import java.util.regex.Pattern;

/**
 * What a run id or dataset id may look like. Ids become parts of S3 keys, Kafka client ids and the dashboard's
 * markup, so each is checked where it enters (a request, an ingest, an event read from a topic).
 */
public final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Ids() {}

    /** Whether {@code id} is a well-formed id. */
    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** {@code id}, checked; IllegalArgumentException naming {@code what} (runId, dataset) when it is not one. */
    public static String check(String what, String id) {
        if (!valid(id)) {
            throw new IllegalArgumentException(what + " must match " + ID.pattern() + ": " + id);
        }
        return id;
    }
}
