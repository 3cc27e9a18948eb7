package org.kafkatrain.inference.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.kafkatrain.inference.api.InferenceProtocol.ModelMetadata;
import org.kafkatrain.inference.model.ModelRegistry;
import org.kafkatrain.inference.model.UnknownModelException;

import java.io.IOException;
import java.util.Map;

/**
 * The model repository extension of the protocol, as KServe and Triton name it: load a run's model ahead of its
 * first request, unload one to free its memory. POSTs, so they need the API token like predictions.
 */
@Path("/v2/repository/models/{run}")
public class ModelRepositoryResource {
    @Inject
    ModelRegistry registry;

    /** Loads the run's model ({@code inference.checkpoint}'s checkpoint) unless it is loaded; its metadata. */
    @POST
    @Path("load")
    public ModelMetadata load(@PathParam("run") String run) throws IOException {
        return ModelMetadata.of(registry.load(run));
    }

    /** Unloads the run's model; its memory is freed once the requests using it are answered. */
    @POST
    @Path("unload")
    public Map<String, Object> unload(@PathParam("run") String run) {
        if (!registry.unload(run)) {
            throw new UnknownModelException("the model of run " + run + " is not loaded");
        }
        return Map.of("name", run, "ready", false);
    }
}
