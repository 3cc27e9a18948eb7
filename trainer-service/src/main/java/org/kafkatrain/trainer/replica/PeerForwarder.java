package org.kafkatrain.trainer.replica;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.runs.RunSpec;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How rank 0 hands a data-parallel run to its peers: the resolved spec, {@code POST <peer>/runs/<id>/ranks/<rank>}
 * to each of ranks 1..N-1 at the addresses {@code trainer.replicas.peers} lists, with the API token when one is set.
 * A peer still starting is waited for up to the group's timeout; a peer that refuses fails the run with its reason.
 */
public final class PeerForwarder {
    private static final Logger LOG = Logger.getLogger(PeerForwarder.class);

    private final List<String> peers;
    private final Optional<String> token;
    private final ObjectMapper json;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param peers REST addresses of ranks 1, 2, ... in order */
    public PeerForwarder(List<String> peers, Optional<String> token, ObjectMapper json) {
        this.peers = List.copyOf(peers);
        this.token = token.filter(t -> !t.isBlank());
        this.json = json;
    }

    /** Sends {@code spec} to ranks 1..replicas-1, each waited for up to {@code patience}. */
    void forward(RunSpec spec, Duration patience) throws IOException, InterruptedException {
        int count = spec.distribution().replicas();
        if (peers.size() < count - 1) {
            throw new IllegalStateException("run " + spec.runId() + " has " + count + " replicas and this trainer"
                    + " knows " + peers.size() + " peers (trainer.replicas.peers: the REST addresses of ranks 1.."
                    + (count - 1) + ")");
        }
        for (int rank = 1; rank < count; rank++) {
            send(spec, rank, peers.get(rank - 1), patience);
        }
    }

    private void send(RunSpec spec, int rank, String peer, Duration patience) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(peer.replaceAll("/+$", "") + "/runs/" + spec.runId() + "/ranks/" + rank))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(spec)));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    throw new IllegalStateException("rank " + rank + " at " + peer + " refused run " + spec.runId()
                            + ": HTTP " + response.statusCode() + " " + response.body());
                }
                LOG.infof("run %s forwarded to rank %d at %s", spec.runId(), rank, peer);
                return;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(
                            "rank " + rank + " at " + peer + " did not answer within " + patience.toSeconds()
                                    + " s (trainer.replicas.timeout)",
                            e);
                }
                Thread.sleep(1000); // a peer that is still starting
            }
        }
    }

    private String body(RunSpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
