package org.kafkatrain.inference.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.kafkatrain.inference.model.ModelInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the Open Inference Protocol (KServe V2, REST): the inference request and response with their
 * tensors, and model and server metadata.
 */
public final class InferenceProtocol {
    /** The one input tensor's name. */
    static final String INPUT = "input";

    /** The one output tensor's name. */
    static final String OUTPUT = "probabilities";

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
            Map<String, Object> parameters) {
        /** A loaded model's metadata: its checkpoint as the one version, the classes and the checkpoint's scores. */
        static ModelMetadata of(ModelInfo m) {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("classes", m.classes());
            parameters.put("epoch", m.epoch());
            parameters.put("step", m.step());
            parameters.put("acc1", m.acc1());
            parameters.put("acc5", m.acc5());
            parameters.put("sha256", m.sha256());
            parameters.put("loadedAt", m.loadedAt());
            return new ModelMetadata(
                    m.runId(),
                    List.of(m.checkpoint()),
                    "pytorch_libtorch",
                    List.of(
                            new TensorMetadata(INPUT, "UINT8", List.of(-1L, (long) m.height(), (long) m.width(), (long)
                                    m.channels())),
                            new TensorMetadata(INPUT, "BYTES", List.of(-1L))),
                    List.of(new TensorMetadata(
                            OUTPUT, "FP32", List.of(-1L, (long) m.classes().size()))),
                    parameters);
        }
    }

    public record ServerMetadata(String name, String version, List<String> extensions) {}
}
