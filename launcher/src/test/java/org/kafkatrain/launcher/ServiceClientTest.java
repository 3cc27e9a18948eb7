package org.kafkatrain.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

class ServiceClientTest {
    private static final TypeReference<List<Integer>> INTS = new TypeReference<>() {};

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Answers 503 (as metrics-stream does while its stores restore) to the first {@code unavailable} requests. */
    private ServiceClient restoringFor(int unavailable) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            boolean restoring = requests.incrementAndGet() <= unavailable;
            byte[] body = (restoring ? "{\"error\":\"the stream thread is STARTING, not RUNNING\"}" : "[1,2]")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(restoring ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new ServiceClient(
                "metrics-stream", "http://127.0.0.1:" + server.getAddress().getPort(), Optional.empty());
    }

    @Test
    void aServiceStillRestoringIsWaitedFor() throws IOException {
        ServiceClient metrics = restoringFor(2);

        assertThat(metrics.getWhenAvailable("/runs/r/epochs", INTS, Duration.ofSeconds(30)))
                .isEqualTo(Optional.of(List.of(1, 2)));
        assertThat(requests).hasValue(3);
    }

    @Test
    void theWaitEndsAfterThePatienceWithTheServicesReason() throws IOException {
        ServiceClient metrics = restoringFor(Integer.MAX_VALUE);

        assertThatThrownBy(() -> metrics.getWhenAvailable("/runs/r/epochs", INTS, Duration.ofSeconds(1)))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("HTTP 503: the stream thread is STARTING, not RUNNING");
        assertThat(requests.get()).isBetween(2, 4);
    }

    @Test
    void plainGetDoesNotWait() throws IOException {
        ServiceClient metrics = restoringFor(1);

        assertThatThrownBy(() -> metrics.get("/runs/r/epochs", INTS)).hasMessageContaining("HTTP 503");
        assertThat(requests).hasValue(1);
    }

    @Test
    void theTokenGoesWithEveryRequest() throws IOException {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "[1]".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        new ServiceClient("trainer-service", url, Optional.of("t0ken")).post("/runs", List.of(), 200, INTS);
        new ServiceClient("trainer-service", url, Optional.of("t0ken")).get("/runs", INTS);
        new ServiceClient("trainer-service", url, Optional.empty()).get("/runs", INTS);
        assertThat(seen).containsExactly("POST Bearer t0ken", "GET Bearer t0ken", "GET null");
    }
}
