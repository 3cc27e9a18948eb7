package org.kafkatrain.contracts;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/** What the services read off a consumed record besides its value: its place and its text headers. */
public final class ConsumedRecords {
    private ConsumedRecords() {}

    /** {@code topic-partition@offset}: the id of a single-image record, and the prefix of its batch images' ids. */
    public static String id(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** The last value of header {@code name} as UTF-8 text, or null when the record has none (or a null one). */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
