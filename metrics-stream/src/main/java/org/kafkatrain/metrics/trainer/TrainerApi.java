package org.kafkatrain.metrics.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.kafkatrain.contracts.runs.CheckpointObject;

import java.util.List;

/** The trainer's read API that the dashboard shows beside the metrics: a run's settings, status and checkpoints. */
@RegisterRestClient(configKey = "trainer")
@Path("/runs/{id}")
public interface TrainerApi {
    @GET
    @Path("config")
    JsonNode config(@PathParam("id") String runId);

    @GET
    JsonNode status(@PathParam("id") String runId);

    @GET
    @Path("checkpoints")
    List<CheckpointObject> checkpoints(@PathParam("id") String runId);
}
