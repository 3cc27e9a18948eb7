package org.kafkatrain.metrics.rest;

import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.metrics.model.Series;
import org.kafkatrain.metrics.model.SeriesMetric;
import org.kafkatrain.metrics.streams.StreamCounters;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /runs} lists runs; {@code GET /runs/{id}/metrics} the current rolling metrics; {@code GET /runs/{id}/epochs}
 * the per-epoch history ({@code /epochs/table} as text); {@code GET /runs/{id}/stream} the run's metrics as they arrive
 * (server-sent events, to at most {@code metrics.sse.max-clients} clients at once); {@code GET /stats} what the stream
 * set aside.
 */
@Path("/")
public class MetricsResource {
    /** A place on a full live feed frees when someone closes a dashboard: no point asking again within seconds. */
    private static final int RETRY_FULL_FEED_SECONDS = 10;

    @Inject
    MetricsQueries queries;

    @Inject
    @Channel("metrics-feed")
    Multi<byte[]> feed;

    @Inject
    LiveFeedClients liveClients;

    @GET
    @Path("runs")
    public List<String> runs() {
        return queries.runs();
    }

    @GET
    @Path("runs/{id}/metrics")
    public List<TrainingMetrics> current(@PathParam("id") String runId) {
        List<TrainingMetrics> current = queries.current(runId);
        if (current.isEmpty()) {
            throw new NotFoundException("no metrics for run " + runId);
        }
        return current;
    }

    @GET
    @Path("runs/{id}/epochs")
    @Produces(MediaType.APPLICATION_JSON)
    public List<TrainingMetrics> epochs(@PathParam("id") String runId) {
        return queries.epochs(runId);
    }

    /**
     * A run's history of one metric over steps: {@code metric} one of loss, top1, top5, lr, images_per_sec,
     * rejected; {@code split} train (every step) or val (one point per evaluation); at most {@code points} points.
     */
    @GET
    @Path("runs/{id}/series")
    public Series series(
            @PathParam("id") String runId,
            @QueryParam("metric") @DefaultValue("loss") String metric,
            @QueryParam("split") @DefaultValue(TrainingStep.TRAIN) String split,
            @QueryParam("from") @DefaultValue("0") long from,
            @QueryParam("to") @DefaultValue("9223372036854775807") long to,
            @QueryParam("points") @DefaultValue("1000") int points) {
        if (points < 1 || points > 100_000 || from > to) {
            throw new IllegalArgumentException("points must be 1..100000 and from <= to");
        }
        return queries.series(runId, split, SeriesMetric.of(metric), from, to, points);
    }

    /** The same history as a plain-text table, for terminals. */
    @GET
    @Path("runs/{id}/epochs/table")
    @Produces(MediaType.TEXT_PLAIN)
    public String epochTable(@PathParam("id") String runId) {
        return EpochTable.render(queries.epochs(runId));
    }

    @GET
    @Path("runs/{id}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<TrainingMetrics> stream(@PathParam("id") String runId) {
        return liveClients.admit(feed.map(MetricsResource::parse)
                .filter(m -> m != null && m.runId().equals(runId)));
    }

    @GET
    @Path("stats")
    public Map<String, Long> stats() {
        return Map.of(
                "malformed",
                StreamCounters.MALFORMED.get(),
                "invalid",
                StreamCounters.INVALID.get(),
                "duplicates",
                StreamCounters.DUPLICATES.get(),
                "late",
                StreamCounters.LATE.get());
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> badQuery(IllegalArgumentException e) {
        return RestResponse.status(Response.Status.BAD_REQUEST, Map.of("error", e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> notReady(MetricsQueries.StoresNotReadyException e) {
        return RestResponse.status(Response.Status.SERVICE_UNAVAILABLE, Map.of("error", e.getMessage()));
    }

    /** A store that went away between lookup and read (a rebalance, a restart still restoring): 503, try again. */
    @ServerExceptionMapper
    public RestResponse<Map<String, String>> storeGone(InvalidStateStoreException e) {
        return RestResponse.status(Response.Status.SERVICE_UNAVAILABLE, Map.of("error", e.getMessage()));
    }

    /** The live feed is full: 503, with when to ask again. */
    @ServerExceptionMapper
    public RestResponse<Map<String, String>> feedFull(LiveFeedClients.Full e) {
        return RestResponse.ResponseBuilder.create(Response.Status.SERVICE_UNAVAILABLE, Map.of("error", e.getMessage()))
                .header(HttpHeaders.RETRY_AFTER, RETRY_FULL_FEED_SECONDS)
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    private static TrainingMetrics parse(byte[] bytes) {
        try {
            return EventJson.readMetrics(bytes);
        } catch (InvalidRecordException e) {
            return null;
        }
    }
}
