package org.kafkatrain.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kafkatrain.contracts.InvalidRecordException.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.ToIntFunction;

/** JSON for the event types: strict on read (unknown version, missing or mistyped fields are errors). */
public final class EventJson {
    /** Shared, thread-safe once configured. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventJson() {}

    public static byte[] write(Object event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrainingStep readStep(byte[] json) throws InvalidRecordException {
        return read(json, TrainingStep.class, TrainingStep::v, TrainingStep.VERSION);
    }

    public static TrainingMetrics readMetrics(byte[] json) throws InvalidRecordException {
        return read(json, TrainingMetrics.class, TrainingMetrics::v, TrainingMetrics.VERSION);
    }

    /** A v2 manifest, or a v1 one, which predates pinned records and reads as pinning none. */
    public static DatasetManifest readManifest(byte[] json) throws InvalidRecordException {
        return read(v1ManifestAsV2(json), DatasetManifest.class, DatasetManifest::v, DatasetManifest.VERSION);
    }

    private static byte[] v1ManifestAsV2(byte[] json) {
        try {
            if (json != null
                    && MAPPER.readTree(json) instanceof ObjectNode node
                    && node.path("v").asInt() == 1
                    && !node.has("records")) {
                node.put("v", DatasetManifest.VERSION);
                node.putObject("records");
                return MAPPER.writeValueAsBytes(node);
            }
        } catch (IOException e) {
            // not JSON: read() below says so with its own problem
        }
        return json;
    }

    public static CheckpointEvent readCheckpoint(byte[] json) throws InvalidRecordException {
        return read(json, CheckpointEvent.class, CheckpointEvent::v, CheckpointEvent.VERSION);
    }

    public static Prediction readPrediction(byte[] json) throws InvalidRecordException {
        return read(json, Prediction.class, Prediction::v, Prediction.VERSION);
    }

    private static <T> T read(byte[] json, Class<T> type, ToIntFunction<T> version, int known)
            throws InvalidRecordException {
        if (json == null || json.length == 0) {
            throw new InvalidRecordException(Problem.EMPTY_VALUE, type.getSimpleName() + " event has no value");
        }
        T event;
        try {
            event = MAPPER.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw new InvalidRecordException(Problem.MALFORMED_EVENT, type.getSimpleName() + ": " + e.getMessage(), e);
        }
        if (event == null) {
            throw new InvalidRecordException(Problem.MALFORMED_EVENT, type.getSimpleName() + ": JSON null");
        }
        if (version.applyAsInt(event) != known) {
            throw new InvalidRecordException(
                    Problem.UNSUPPORTED_VERSION,
                    type.getSimpleName() + " v=" + version.applyAsInt(event) + ", this reader knows " + known);
        }
        return event;
    }
}
