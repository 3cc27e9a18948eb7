package org.kafkatrain.inference.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.inference.api.InferenceProtocol.InferRequest;
import org.kafkatrain.inference.api.InferenceProtocol.InferResponse;
import org.kafkatrain.inference.api.InferenceProtocol.ModelMetadata;
import org.kafkatrain.inference.api.InferenceProtocol.ResponseTensor;
import org.kafkatrain.inference.api.InferenceProtocol.ServerMetadata;
import org.kafkatrain.inference.config.InferenceConfig;
import org.kafkatrain.inference.model.ModelRegistry;
import org.kafkatrain.inference.model.PredictionBatcher;
import org.kafkatrain.inference.model.UnknownModelException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol (KServe V2) over REST, one model per run: {@code POST /v2/models/{run}/infer} takes
 * one input, either {@code UINT8} pixels shaped {@code [N, H, W, C]} (or {@code [H, W, C]}) or {@code BYTES} holding
 * base64 PNG/JPEG files shaped {@code [N]}, and answers {@code probabilities}, {@code FP32 [N, classes]}; the model
 * metadata lists the classes. Health and server metadata as the protocol names them; loading and unloading models
 * is the model repository's ({@link ModelRepositoryResource}).
 */
@Path("/v2")
public class InferenceProtocolResource {
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

    /**
     * A loaded model's metadata; 404 for a run whose model is not loaded. A read never loads one: loading costs
     * memory and minutes of S3 and CPU, which only a POST (with the API token) may spend.
     */
    @GET
    @Path("models/{run}")
    public ModelMetadata model(@PathParam("run") String run) {
        return ModelMetadata.of(registry.loaded(run)
                .orElseThrow(() -> new UnknownModelException("the model of run " + run + " is not loaded: POST "
                        + "/v2/repository/models/" + run + "/load, or an inference request, loads it")));
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
            throw new IllegalArgumentException(
                    "the request needs exactly one input tensor ('" + InferenceProtocol.INPUT + "')");
        }
        List<Sample> images =
                new TensorImages(config.limits()).read(request.inputs().get(0));
        PredictionBatcher.Answer answer = batcher.predict(run, images);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("classes", answer.model().classes());
        return new InferResponse(
                run,
                answer.model().checkpoint(),
                request.id(),
                parameters,
                List.of(new ResponseTensor(
                        InferenceProtocol.OUTPUT,
                        List.of((long) images.size(), (long) answer.numClasses()),
                        "FP32",
                        answer.probabilities())));
    }
}
