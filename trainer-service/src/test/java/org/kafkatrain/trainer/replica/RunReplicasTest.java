package org.kafkatrain.trainer.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.RunField;
import org.kafkatrain.contracts.runs.RunRequest;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunSpecs;
import org.kafkatrain.trainer.config.TrainerConfig;
import org.kafkatrain.trainer.data.Stripe;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trainer's part in a run: one process whatever its rank, its rank's stripe in a group, a rank the run does not
 * have refused, a group run posted to a rank other than 0 refused; and rank 0 handing the run to its peers.
 */
class RunReplicasTest {
    private static final PeerForwarder NO_PEERS = new PeerForwarder(List.of(), Optional.empty(), new ObjectMapper());

    @Test
    void theRunsCountAndTheTrainersRankMakeTheStripeAndTheLeader() {
        RunSpec two = spec("r", 2);
        RunReplicas rank1 = RunReplicas.of(two, rank(1, List.of()), NO_PEERS, true, () -> false, () -> null);
        assertThat(rank1.stripe()).isEqualTo(new Stripe(1, 2));
        assertThat(rank1.leads()).isFalse();
        RunReplicas rank0 = RunReplicas.of(two, rank(0, List.of()), NO_PEERS, false, () -> false, () -> null);
        assertThat(rank0.leads()).isTrue();
        RunReplicas alone = RunReplicas.of(spec("one", 1), rank(3, List.of()), NO_PEERS, false, () -> true, () -> null);
        assertThat(alone.stripe())
                .as("a one-process run on any trainer takes every sample")
                .isEqualTo(Stripe.ALL);
        assertThat(alone.leads()).isTrue();
        assertThat(alone.stopped()).isTrue();
        assertThatThrownBy(() -> RunReplicas.of(two, rank(2, List.of()), NO_PEERS, true, () -> false, () -> null))
                .hasMessageContaining("rank 2")
                .hasMessageContaining("2 replicas");
        assertThatThrownBy(() -> RunReplicas.of(two, rank(1, List.of()), NO_PEERS, false, () -> false, () -> null))
                .as("a client posts a group's run once, to rank 0")
                .hasMessageContaining("posted to rank 0");
    }

    @Test
    void rankZeroSendsItsPeersTheResolvedSpecWithTheToken() throws Exception {
        Map<String, String> received = new ConcurrentHashMap<>();
        HttpServer peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.createContext("/runs", exchange -> {
            received.put(
                    exchange.getRequestURI().getPath(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + " "
                            + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        peer.start();
        try {
            String url = "http://127.0.0.1:" + peer.getAddress().getPort();
            RunSpec three = spec("g", 3);
            new PeerForwarder(List.of(url + "/", url), Optional.of("s3cret"), new ObjectMapper())
                    .forward(three, Duration.ofSeconds(5));
            assertThat(received).containsOnlyKeys("/runs/g/ranks/1", "/runs/g/ranks/2");
            assertThat(received.get("/runs/g/ranks/2"))
                    .contains("\"runId\":\"g\"", "\"replicas\":3")
                    .endsWith(" Bearer s3cret");
        } finally {
            peer.stop(0);
        }
        assertThatThrownBy(() -> NO_PEERS.forward(spec("g", 2), Duration.ofSeconds(1)))
                .hasMessageContaining("trainer.replicas.peers");
        assertThatThrownBy(() -> new PeerForwarder(List.of("http://127.0.0.1:1"), Optional.empty(), new ObjectMapper())
                        .forward(spec("g", 2), Duration.ofSeconds(1)))
                .as("a peer that never answers fails the run within the group's timeout")
                .hasMessageContaining("did not answer within 1 s");
    }

    private static RunSpec spec(String run, int replicas) {
        return RunSpecs.resolve(
                RunRequest.forRun(run).with(RunField.REPLICAS, replicas),
                new RunSpecs.Deployment("t", "v", "cpu", AdamKernel.FUSED));
    }

    private static TrainerConfig.Replicas rank(int rank, List<String> peers) {
        return new TrainerConfig.Replicas() {
            @Override
            public int rank() {
                return rank;
            }

            @Override
            public String rendezvous() {
                return "127.0.0.1:29400";
            }

            @Override
            public Duration timeout() {
                return Duration.ofMinutes(2);
            }

            @Override
            public Optional<List<String>> peers() {
                return Optional.of(peers);
            }
        };
    }
}
