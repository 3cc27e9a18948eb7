package org.kafkatrain.metrics.streams;

import java.util.concurrent.atomic.AtomicLong;

/** Inputs the topology set aside, exposed on GET /stats and in the logs. */
public final class StreamCounters {
    public static final AtomicLong MALFORMED = new AtomicLong();
    public static final AtomicLong INVALID = new AtomicLong();
    public static final AtomicLong DUPLICATES = new AtomicLong();
    public static final AtomicLong LATE = new AtomicLong();

    private StreamCounters() {}
}
