package org.kafkatrain.metrics.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.kafkatrain.contracts.runs.CheckpointObject;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /runs/{id}/trainer/...}: what the trainer knows of a run (settings, status with its dead-letter count,
 * checkpoints), served beside the metrics so that the dashboard needs one origin only.
 */
@Path("/runs/{id}/trainer")
public class TrainerResource {
    @RestClient
    TrainerApi trainer;

    @GET
    @Path("config")
    public JsonNode config(@PathParam("id") String runId) {
        return trainer.config(runId);
    }

    @GET
    @Path("status")
    public JsonNode status(@PathParam("id") String runId) {
        return trainer.status(runId);
    }

    @GET
    @Path("checkpoints")
    public List<CheckpointObject> checkpoints(@PathParam("id") String runId) {
        return trainer.checkpoints(runId);
    }

    /** The trainer's own answer (404 for an unknown run), passed on. */
    @ServerExceptionMapper
    public RestResponse<Map<String, String>> trainerSaid(WebApplicationException e) {
        return RestResponse.status(
                Response.Status.fromStatusCode(e.getResponse().getStatus()),
                Map.of("error", "trainer-service: " + e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> trainerAway(ProcessingException e) {
        return RestResponse.status(
                Response.Status.BAD_GATEWAY, Map.of("error", "trainer-service did not answer: " + e.getMessage()));
    }
}
