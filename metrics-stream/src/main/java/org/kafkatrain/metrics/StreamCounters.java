package org.kafkatrain.metrics;

import java.util.concurrent.atomic.AtomicLong;

/** Inputs the topology set aside, exposed on GET /stats and in the logs. */
final class StreamCounters {
    static final AtomicLong MALFORMED = new AtomicLong();
    static final AtomicLong INVALID = new AtomicLong();
    static final AtomicLong DUPLICATES = new AtomicLong();
    static final AtomicLong LATE = new AtomicLong();

    private StreamCounters() {}
}
