package org.kafkatrain.trainer.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.kafkatrain.contracts.runs.CheckpointObject;
import org.kafkatrain.contracts.runs.RunOverride;
import org.kafkatrain.contracts.runs.RunRequest;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunSpecs;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.store.RunDocument;
import org.kafkatrain.trainer.run.RunConflictException;
import org.kafkatrain.trainer.run.RunManager;
import org.kafkatrain.trainer.run.RunQueueFullException;

import java.io.IOException;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Runs over REST: {@code POST /runs} starts one (a {@link RunRequest}; an existing run id resumes from its
 * checkpoint with its stored spec), {@code GET /runs} lists, {@code GET /runs/{id}} shows live status,
 * {@code GET /runs/{id}/config} its resolved {@link RunSpec}, {@code POST /runs/{id}/stop} stops gracefully.
 */
@Path("/runs")
public class RunResource {
    @Inject
    RunManager runs;

    @Inject
    CheckpointStore store;

    /** @param override resume an existing run even with changed data or model settings (recorded in its run.json) */
    @POST
    public Response start(
            @RequestBody(
                            description = "a run request: runId and any settings of a run spec, grouped as"
                                    + " GET /runs/{id}/config returns them (v2), or flat (v1); unset ones take the"
                                    + " defaults, a resumed run's stored values, or a fork's parent's")
                    JsonNode request,
            @QueryParam("override") boolean override)
            throws IOException {
        if (request == null) {
            throw new IllegalArgumentException("POST /runs needs a JSON run request with at least runId");
        }
        RunStatus status = runs.start(RunRequest.fromJson(request), override);
        return Response.created(URI.create("/runs/" + status.runId()))
                .entity(status)
                .build();
    }

    @GET
    public Collection<RunStatus> list() throws IOException {
        return runs.list();
    }

    @GET
    @Path("{id}")
    public RunStatus status(@PathParam("id") String id) throws IOException {
        return runs.status(id)
                .orElseThrow(() -> new NotFoundException("no run " + id + " in this trainer nor in the bucket"));
    }

    /** The run's resolved spec as stored in its run.json (defaults filled in, overrides applied). */
    @GET
    @Path("{id}/config")
    public RunSpec config(@PathParam("id") String id) throws IOException {
        return document(id).spec();
    }

    /** The resumes that changed the run's settings ({@code ?override=true}), oldest first, from its run.json. */
    @GET
    @Path("{id}/overrides")
    public List<RunOverride> overrides(@PathParam("id") String id) throws IOException {
        return document(id).overrides();
    }

    private RunDocument document(String id) throws IOException {
        return store.runDocument(id).orElseThrow(() -> new NotFoundException("run " + id + " has no run.json"));
    }

    /** Checkpoint objects of a run in the bucket, with their metadata (epoch, step, loss, acc1, acc5). */
    @GET
    @Path("{id}/checkpoints")
    public List<CheckpointObject> checkpoints(@PathParam("id") String id) throws IOException {
        return store.checkpoints(id);
    }

    /**
     * A data-parallel run from its rank 0, for this trainer's rank: the resolved spec. Clients post a run to rank 0
     * ({@code POST /runs}), which forwards it here.
     */
    @POST
    @Path("{id}/ranks/{rank}")
    public Response startRank(@PathParam("id") String id, @PathParam("rank") int rank, JsonNode specJson) {
        if (specJson == null) {
            throw new IllegalArgumentException("POST /runs/" + id + "/ranks/" + rank + " needs run " + id + "'s spec");
        }
        RunSpec spec = RunSpecs.read(specJson); // checked as any spec: a bad one is a 400 here, not a failed run
        if (!id.equals(spec.runId())) {
            throw new IllegalArgumentException("POST /runs/" + id + "/ranks/" + rank + " needs run " + id + "'s spec");
        }
        RunStatus status = runs.startForwarded(spec, rank);
        return Response.created(URI.create("/runs/" + id)).entity(status).build();
    }

    @POST
    @Path("{id}/stop")
    public RunStatus stop(@PathParam("id") String id) {
        return runs.stop(id).orElseThrow(() -> new NotFoundException("no run " + id + " in this trainer"));
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> badConfig(IllegalArgumentException e) {
        return RestResponse.status(Response.Status.BAD_REQUEST, Map.of("error", e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> busy(RunConflictException e) {
        return RestResponse.status(Response.Status.CONFLICT, Map.of("error", e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> queueFull(RunQueueFullException e) {
        return RestResponse.ResponseBuilder.create(Response.Status.TOO_MANY_REQUESTS, Map.of("error", e.getMessage()))
                .header("Retry-After", "60")
                .build();
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> notFound(NotFoundException e) {
        return RestResponse.status(Response.Status.NOT_FOUND, Map.of("error", e.getMessage()));
    }
}
