package org.kafkatrain.metrics.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.kafkatrain.testing.LocalStackResource;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The live feed takes a bounded number of clients at once (here 2): the next is turned away until one leaves. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
@TestProfile(LiveFeedClientsTest.TwoClients.class)
class LiveFeedClientsTest {
    public static class TwoClients implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("metrics.sse.max-clients", "2");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void aClientBeyondTheBoundIsTurnedAwayUntilAnotherLeaves() throws Exception {
        HttpURLConnection first = open("a");
        HttpURLConnection second = open("b");
        try {
            assertThat(first.getResponseCode()).isEqualTo(200);
            assertThat(second.getResponseCode()).isEqualTo(200);

            HttpURLConnection third = open("c");
            assertThat(third.getResponseCode()).isEqualTo(503);
            assertThat(third.getHeaderField("Retry-After")).isNotBlank();
            assertThat(third.getContentType()).startsWith("application/json");
            try (InputStream error = third.getErrorStream()) {
                assertThat(new String(error.readAllBytes(), StandardCharsets.UTF_8))
                        .contains("\"error\"")
                        .contains("2 live clients");
            }

            first.disconnect(); // the client goes away: its place is free again
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        HttpURLConnection next = open("d");
                        try {
                            return next.getResponseCode() == 200;
                        } finally {
                            next.disconnect();
                        }
                    });
        } finally {
            first.disconnect();
            second.disconnect();
        }
    }

    private HttpURLConnection open(String run) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(base, "runs/" + run + "/stream").openConnection();
        c.setRequestProperty("Accept", "text/event-stream");
        c.setReadTimeout(10_000);
        return c;
    }
}
