package org.kafkatrain.contracts;

/**
 * A record or event that does not follow its contract. Checked on purpose: every caller must decide where the
 * bad input goes (a dead-letter topic, an HTTP 400, a counted skip), and the {@link Problem} names what was wrong.
 */
public class InvalidRecordException extends Exception {
    private final Problem problem;

    public InvalidRecordException(Problem problem, String detail) {
        super(problem.name() + ": " + detail);
        this.problem = problem;
    }

    public InvalidRecordException(Problem problem, String detail, Throwable cause) {
        super(problem.name() + ": " + detail, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public enum Problem {
        EMPTY_VALUE,
        RECORD_TOO_LARGE,
        MISSING_CONTENT_TYPE,
        UNKNOWN_CONTENT_TYPE,
        UNSUPPORTED_VERSION,
        MALFORMED_ENVELOPE,
        EMPTY_BATCH,
        TOO_MANY_IMAGES,
        BAD_SHAPE,
        IMAGE_TOO_LARGE,
        BAD_CHANNELS,
        UNKNOWN_PIXEL_ENCODING,
        PIXEL_COUNT_MISMATCH,
        CORRUPT_IMAGE,
        SHAPE_MISMATCH,
        MISSING_LABEL,
        BAD_LABEL,
        LABEL_OUT_OF_RANGE,
        MALFORMED_EVENT
    }
}
