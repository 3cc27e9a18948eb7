package org.kafkatrain.metrics.streams;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.kafkatrain.contracts.EventJson;

import java.io.IOException;

/** JSON serde for the topology's internal state (aggregates, last-N rings), through the contracts' ObjectMapper. */
final class JsonSerde {
    private JsonSerde() {}

    static <T> Serde<T> of(Class<T> type) {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : EventJson.write(value), (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return EventJson.MAPPER.readValue(bytes, type);
            } catch (IOException e) {
                throw new SerializationException("state of type " + type.getSimpleName() + " unreadable", e);
            }
        });
    }
}
