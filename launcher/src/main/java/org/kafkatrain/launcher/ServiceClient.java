package org.kafkatrain.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.kafkatrain.contracts.security.ApiToken;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** JSON over HTTP to one service (trainer-service, metrics-stream), with Jackson on both sides. */
public final class ServiceClient {
    static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String name;
    private final URI base;
    private final Optional<String> token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param token the API token sent with every request, when there is one */
    public ServiceClient(String name, String baseUrl, Optional<String> token) {
        this.name = name;
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.token = token;
    }

    /** The resource at {@code path}, or empty on 404. */
    public <T> Optional<T> get(String path, TypeReference<T> type) {
        return found(path, sendGet(path), type);
    }

    /**
     * As {@link #get}, but a 503 is waited out for up to {@code patience}: metrics-stream answers 503 while its
     * stores restore after a start, which takes tens of seconds for a long history, though it is already up.
     */
    public <T> Optional<T> getWhenAvailable(String path, TypeReference<T> type, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        HttpResponse<String> response = sendGet(path);
        if (response.statusCode() == 503) {
            System.err.printf(
                    "kafka-train: %s is not ready yet (%s); waiting up to %d s%n",
                    name, reason(response.body()), patience.toSeconds());
        }
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted", e);
            }
            response = sendGet(path);
        }
        return found(path, response, type);
    }

    private <T> Optional<T> found(String path, HttpResponse<String> response, TypeReference<T> type) {
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(read(path, expect(path, response, 200), type));
    }

    public String getText(String path) {
        return expect(path, sendGet(path), 200);
    }

    /** POSTs {@code body} as JSON and reads the reply; any status but {@code expected} fails with the service's reason. */
    public <T> T post(String path, Object body, int expected, TypeReference<T> type) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new LauncherException("cannot write request: " + e.getMessage(), e);
        }
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8), expected, type);
    }

    /** POSTs nothing to {@code path} (an action) and reads the reply; empty on 404. */
    public <T> Optional<T> postIfFound(String path, TypeReference<T> type) {
        return found(path, send(HttpRequest.newBuilder(resolve(path)).POST(HttpRequest.BodyPublishers.noBody())), type);
    }

    /** POSTs {@code body} as {@code contentType} (an image, say) and reads the JSON reply. */
    public <T> T post(String path, String contentType, byte[] body, int expected, TypeReference<T> type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return read(path, expect(path, send(request), expected), type);
    }

    String name() {
        return name;
    }

    private URI resolve(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private HttpResponse<String> sendGet(String path) {
        return send(HttpRequest.newBuilder(resolve(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        token.ifPresent(value -> request.header("Authorization", ApiToken.bearer(value)));
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LauncherException(
                    name + " at " + base + " did not answer (" + e.getClass().getSimpleName()
                            + "); is it running? ./kafka-train stack status",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted", e);
        }
    }

    private String expect(String path, HttpResponse<String> response, int expected) {
        if (response.statusCode() != expected) {
            throw new LauncherException(
                    name + " " + path + ": HTTP " + response.statusCode() + ": " + reason(response.body()));
        }
        return response.body();
    }

    /** The service's own error text ({@code {"error": ...}}) when it sent one. */
    private static String reason(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("error")) {
                return node.get("error").asText();
            }
        } catch (IOException ignored) {
            // not JSON: show it as it is
        }
        return body == null || body.isBlank() ? "(no body)" : body.strip();
    }

    private <T> T read(String path, String body, TypeReference<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new LauncherException(
                    name + " " + path + " sent what is not the expected JSON: " + e.getMessage(), e);
        }
    }
}
