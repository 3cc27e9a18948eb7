package org.kafkatrain.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kafkatrain.contracts.runs.RunSpecs;

import java.io.IOException;

/**
 * run.json's bytes, both ways. A v1 document (flat {@code config}, before specs were grouped) reads as the v2
 * document it stands for: its config becomes a spec, whose settings that did not exist then take their defaults,
 * which is how that run trained.
 */
public final class RunDocumentCodec {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private RunDocumentCodec() {}

    public static byte[] write(RunDocument document) throws IOException {
        return JSON.writeValueAsBytes(document);
    }

    public static RunDocument read(byte[] json) throws IOException {
        JsonNode tree = JSON.readTree(json);
        if (!(tree instanceof ObjectNode document)) {
            throw new IOException("run.json is not a JSON object");
        }
        int version = document.path("v").asInt(1);
        if (version == 1) {
            JsonNode config = document.remove("config");
            document.put("v", RunDocument.VERSION);
            document.set("spec", JSON.valueToTree(RunSpecs.read(config)));
        } else if (version != RunDocument.VERSION) {
            throw new IOException("run.json v=" + version + ": this reader knows v1 and v2");
        }
        return JSON.treeToValue(document, RunDocument.class);
    }
}
