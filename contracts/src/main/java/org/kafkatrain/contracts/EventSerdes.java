package org.kafkatrain.contracts;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Kafka serdes for the JSON events. A malformed value surfaces as Kafka's {@link SerializationException}, which
 * consumers and Kafka Streams' deserialization exception handlers already know how to route.
 */
public final class EventSerdes {
    private EventSerdes() {}

    public static Serde<TrainingStep> trainingStep() {
        return Serdes.serdeFrom((topic, step) -> EventJson.write(step), strict(EventJson::readStep));
    }

    public static Serde<TrainingMetrics> trainingMetrics() {
        return Serdes.serdeFrom((topic, metrics) -> EventJson.write(metrics), strict(EventJson::readMetrics));
    }

    public static Serde<DatasetManifest> datasetManifest() {
        return Serdes.serdeFrom((topic, manifest) -> EventJson.write(manifest), strict(EventJson::readManifest));
    }

    public static Serde<CheckpointEvent> checkpointEvent() {
        return Serdes.serdeFrom((topic, event) -> EventJson.write(event), strict(EventJson::readCheckpoint));
    }

    private static <T> Deserializer<T> strict(Reader<T> reader) {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null; // a tombstone
            }
            try {
                return reader.read(bytes);
            } catch (InvalidRecordException e) {
                throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
            }
        };
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(byte[] bytes) throws InvalidRecordException;
    }
}
