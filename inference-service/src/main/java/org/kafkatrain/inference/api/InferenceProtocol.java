package org.kafkatrain.inference.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the Open Inference Protocol (KServe V2, REST): the inference request and response with their
 * tensors, and model and server metadata.
 */
public final class InferenceProtocol {
    private InferenceProtocol() {}

    /** An input tensor: {@code data} flat in row-major order (nested arrays are accepted too). */
    public record RequestTensor(
            String name, List<Long> shape, String datatype, Map<String, Object> parameters, JsonNode data) {}

    public record InferRequest(String id, Map<String, Object> parameters, List<RequestTensor> inputs) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResponseTensor(String name, List<Long> shape, String datatype, Object data) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InferResponse(
            @JsonProperty("model_name") String modelName,
            @JsonProperty("model_version") String modelVersion,
            String id,
            Map<String, Object> parameters,
            List<ResponseTensor> outputs) {}

    public record TensorMetadata(String name, String datatype, List<Long> shape) {}

    public record ModelMetadata(
            String name,
            List<String> versions,
            String platform,
            List<TensorMetadata> inputs,
            List<TensorMetadata> outputs,
            Map<String, Object> parameters) {}

    public record ServerMetadata(String name, String version, List<String> extensions) {}
}
