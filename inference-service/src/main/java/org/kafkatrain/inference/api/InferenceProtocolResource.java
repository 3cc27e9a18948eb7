package org.kafkatrain.inference.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.inference.api.InferenceProtocol.InferRequest;
import org.kafkatrain.inference.api.InferenceProtocol.InferResponse;
import org.kafkatrain.inference.api.InferenceProtocol.ModelMetadata;
import org.kafkatrain.inference.api.InferenceProtocol.RequestTensor;
import org.kafkatrain.inference.api.InferenceProtocol.ResponseTensor;
import org.kafkatrain.inference.api.InferenceProtocol.ServerMetadata;
import org.kafkatrain.inference.api.InferenceProtocol.TensorMetadata;
import org.kafkatrain.inference.config.InferenceConfig;
import org.kafkatrain.inference.model.ModelInfo;
import org.kafkatrain.inference.model.ModelRegistry;
import org.kafkatrain.inference.model.PredictionBatcher;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol (KServe V2) over REST, one model per run: {@code POST /v2/models/{run}/infer} takes
 * one input, either {@code UINT8} pixels shaped {@code [N, H, W, C]} (or {@code [H, W, C]}) or {@code BYTES} holding
 * base64 PNG/JPEG files shaped {@code [N]}, and answers {@code probabilities}, {@code FP32 [N, classes]}; the model
 * metadata lists the classes. Health and server metadata as the protocol names them.
 */
@Path("/v2")
public class InferenceProtocolResource {
    static final String INPUT = "input";
    static final String OUTPUT = "probabilities";

    @Inject
    ModelRegistry registry;

    @Inject
    PredictionBatcher batcher;

    @Inject
    InferenceConfig config;

    @GET
    public ServerMetadata server() {
        return new ServerMetadata("kafka-train-inference", "1", List.of());
    }

    @GET
    @Path("health/live")
    public Map<String, Boolean> live() {
        return Map.of("live", true);
    }

    @GET
    @Path("health/ready")
    public RestResponse<Map<String, Boolean>> ready() {
        boolean ready = registry.ready();
        return RestResponse.status(
                ready ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE, Map.of("ready", ready));
    }

    /** A run's model metadata; loads the model when it is not loaded yet. */
    @GET
    @Path("models/{run}")
    public ModelMetadata model(@PathParam("run") String run) throws IOException {
        return metadata(registry.info(run));
    }

    @GET
    @Path("models/{run}/ready")
    public RestResponse<Map<String, Object>> modelReady(@PathParam("run") String run) {
        return registry.loaded(run)
                .map(m ->
                        RestResponse.ok(Map.<String, Object>of("name", run, "ready", true, "version", m.checkpoint())))
                .orElse(RestResponse.status(Response.Status.SERVICE_UNAVAILABLE, Map.of("name", run, "ready", false)));
    }

    @POST
    @Path("models/{run}/infer")
    public InferResponse infer(@PathParam("run") String run, InferRequest request)
            throws IOException, InvalidRecordException {
        if (request == null || request.inputs() == null || request.inputs().size() != 1) {
            throw new IllegalArgumentException("the request needs exactly one input tensor ('" + INPUT + "')");
        }
        List<Sample> images = images(request.inputs().get(0));
        PredictionBatcher.Answer answer = batcher.predict(run, images);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("classes", answer.model().classes());
        return new InferResponse(
                run,
                answer.model().checkpoint(),
                request.id(),
                parameters,
                List.of(new ResponseTensor(
                        OUTPUT,
                        List.of((long) images.size(), (long) answer.numClasses()),
                        "FP32",
                        answer.probabilities())));
    }

    private static ModelMetadata metadata(ModelInfo m) {
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
                        new TensorMetadata(
                                INPUT, "UINT8", List.of(-1L, (long) m.height(), (long) m.width(), (long) m.channels())),
                        new TensorMetadata(INPUT, "BYTES", List.of(-1L))),
                List.of(new TensorMetadata(
                        OUTPUT, "FP32", List.of(-1L, (long) m.classes().size()))),
                parameters);
    }

    private List<Sample> images(RequestTensor t) throws InvalidRecordException {
        if (t.datatype() == null || t.shape() == null || t.data() == null) {
            throw new IllegalArgumentException("the input tensor needs name, shape, datatype and data");
        }
        List<JsonNode> values = new ArrayList<>();
        flatten(t.data(), values);
        return switch (t.datatype()) {
            case "UINT8" -> pixels(t.shape(), values);
            case "BYTES" -> files(t.shape(), values);
            default ->
                throw new IllegalArgumentException("datatype " + t.datatype()
                        + " is not served: send UINT8 pixels [N, H, W, C] or BYTES images [N]");
        };
    }

    private List<Sample> pixels(List<Long> shape, List<JsonNode> values) {
        List<Long> s = shape.size() == 3 ? List.of(1L, shape.get(0), shape.get(1), shape.get(2)) : shape;
        if (s.size() != 4 || s.stream().anyMatch(d -> d <= 0) || (s.get(3) != 1 && s.get(3) != 3)) {
            throw new IllegalArgumentException(
                    "UINT8 input must be shaped [N, H, W, C] or [H, W, C] with C 1 or 3: " + shape);
        }
        int n = Math.toIntExact(s.get(0));
        int h = Math.toIntExact(s.get(1));
        int w = Math.toIntExact(s.get(2));
        int c = Math.toIntExact(s.get(3));
        if (h > config.limits().maxImageSide() || w > config.limits().maxImageSide()) {
            throw new IllegalArgumentException(
                    h + "x" + w + " exceeds the limit of " + config.limits().maxImageSide() + " px per side");
        }
        long expected = (long) n * h * w * c;
        if (values.size() != expected) {
            throw new IllegalArgumentException(
                    "shape " + shape + " needs " + expected + " values, got " + values.size());
        }
        List<Sample> images = new ArrayList<>(n);
        int at = 0;
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[h * w * c];
            for (int j = 0; j < px.length; j++) {
                JsonNode v = values.get(at++);
                if (!v.canConvertToInt() || v.asInt() < 0 || v.asInt() > 255) {
                    throw new IllegalArgumentException("UINT8 value out of range at " + (at - 1) + ": " + v);
                }
                px[j] = (byte) v.asInt();
            }
            images.add(new Sample("input#" + i, Sample.NO_LABEL, h, w, c, px));
        }
        return images;
    }

    private List<Sample> files(List<Long> shape, List<JsonNode> values) throws InvalidRecordException {
        if (shape.size() != 1 || shape.get(0) != values.size()) {
            throw new IllegalArgumentException("BYTES input must be shaped [N] with N images: " + shape);
        }
        List<Sample> images = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(values.get(i).asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("BYTES element " + i + " is not base64: " + e.getMessage());
            }
            BufferedImage image = ImageFiles.read(bytes, config.limits().maxImageSide());
            int c = ImageFiles.channelsOf(image);
            images.add(new Sample(
                    "input#" + i,
                    Sample.NO_LABEL,
                    image.getHeight(),
                    image.getWidth(),
                    c,
                    ImageFiles.toPixels(image, c)));
        }
        return images;
    }

    private static void flatten(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node);
        }
    }
}
