package org.kafkatrain.metrics.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A trainer-service stand-in whose answers, for any run, carry markup where the dashboard shows a dataset id, a
 * run's state, a setting and an S3 key. Each piece adds its place to {@code window.pwned} if it ever runs as script.
 */
public class HostileTrainer implements QuarkusTestResourceLifecycleManager {
    static String markup(String place) {
        return "<img src=x onerror=window.pwned=(window.pwned||[]).concat('" + place + "')>";
    }

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/runs/", HostileTrainer::answer);
        server.start();
        return Map.of(
                "quarkus.rest-client.trainer.url",
                "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        server.stop(0);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        if (path.endsWith("/config")) {
            body = "{\"v\": 1, \"data\": {\"dataset\": \"" + markup("dataset") + "\", \"splits\": [\"train\", \""
                    + markup("setting") + "\"]}, \"optimization\": {\"lr\": 0.001}}";
        } else if (path.endsWith("/checkpoints")) {
            body = "[{\"object\": \"runs/" + markup("s3 key") + "/epoch-0001.tar\", \"bytes\": 1000000,"
                    + " \"epoch\": 1, \"step\": 10, \"loss\": 0.5, \"acc1\": 70.0}]";
        } else {
            body = "{\"state\": \"" + markup("state") + "\", \"rejected\": 0}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
