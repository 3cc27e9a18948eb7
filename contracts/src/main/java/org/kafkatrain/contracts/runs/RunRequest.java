package org.kafkatrain.contracts.runs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a client sends to start, resume or fork a run ({@code POST /runs}): a {@link RunSpec}'s shape with any setting
 * left out, which the trainer fills from {@link RunField}'s defaults (a new run), the stored spec (a resumed one) or
 * the parent's (a fork). Read from the grouped v2 form, or from the flat v1 form clients sent before
 * ({@code {"runId": "r1", "lr": 0.01, "evalBatchSize": 64}}); written in the v2 form. A name it does not know is
 * refused, naming it.
 */
public final class RunRequest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN_ID = "runId";
    private static final String VERSION = "v";

    /** Grouped like a spec, holding only what the client set; no nulls. */
    private final ObjectNode fields;

    private RunRequest(ObjectNode fields) {
        this.fields = fields;
    }

    /** A request for {@code runId} that sets nothing else. */
    public static RunRequest forRun(String runId) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        if (runId != null) {
            fields.put(RUN_ID, runId);
        }
        return new RunRequest(fields);
    }

    @JsonCreator
    public static RunRequest fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a run request is a JSON object");
        }
        RunRequest request = forRun(null);
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (value.isNull()) {
                continue;
            }
            if (key.equals(VERSION)) {
                if (value.asInt() != 1 && value.asInt() != RunSpec.VERSION) {
                    throw new IllegalArgumentException("v=" + value + ": this trainer reads run requests v1 and v2");
                }
            } else if (key.equals(RUN_ID)) {
                request.fields.set(RUN_ID, value);
            } else if (value.isObject() && isGroup(key)) {
                for (Iterator<Map.Entry<String, JsonNode>> g = value.fields(); g.hasNext(); ) {
                    Map.Entry<String, JsonNode> inner = g.next();
                    if (inner.getValue().isNull()) {
                        continue; // as at the top: not set
                    }
                    RunField field =
                            RunField.byPath(key, inner.getKey()).orElseThrow(() -> unknown(key + "." + inner.getKey()));
                    request.set(field, inner.getValue());
                }
            } else {
                RunField field = RunField.byPath(null, key)
                        .or(() -> RunField.byV1Name(key))
                        .orElseThrow(() -> unknown(key));
                request.set(field, value);
            }
        }
        return request;
    }

    /** This request with {@code field} set to {@code value}; null leaves it as it is. */
    public RunRequest with(RunField field, Object value) {
        if (value == null) {
            return this;
        }
        RunRequest copy = new RunRequest(fields.deepCopy());
        copy.set(field, JSON.valueToTree(value));
        return copy;
    }

    /** What the request sets {@code field} to, if it does. */
    public Optional<JsonNode> get(RunField field) {
        JsonNode parent = field.group() == null ? fields : fields.path(field.group());
        return Optional.ofNullable(parent.get(field.fieldName())).filter(v -> !v.isNull());
    }

    public String runId() {
        JsonNode id = fields.get(RUN_ID);
        return id == null ? null : id.asText();
    }

    /** A text-valued field ({@code dataset}, {@code fromRun}, ...), or null when not set. */
    public String text(RunField field) {
        return get(field).map(JsonNode::asText).orElse(null);
    }

    /** The v2 form: {@code {"v": 2, "runId": ..., "data": {...}, ...}} with only what is set. */
    @JsonValue
    public ObjectNode json() {
        ObjectNode out = JsonNodeFactory.instance.objectNode().put(VERSION, RunSpec.VERSION);
        out.setAll(fields.deepCopy());
        return out;
    }

    /** The set fields without the run id, grouped as a spec: what resolution lays over its base. */
    ObjectNode settings() {
        ObjectNode copy = fields.deepCopy();
        copy.remove(RUN_ID);
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunRequest other && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return json().toString();
    }

    private void set(RunField field, JsonNode value) {
        ObjectNode parent = field.group() == null ? fields : fields.withObjectProperty(field.group());
        parent.set(field.fieldName(), value);
    }

    private static boolean isGroup(String key) {
        return Arrays.stream(RunField.values()).anyMatch(f -> key.equals(f.group()));
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown run setting '" + name + "'; known: runId, "
                + Arrays.stream(RunField.values()).map(RunField::path).collect(Collectors.joining(", ")));
    }
}
