package org.kafkatrain.faults.abuse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The suite's HTTP: requests as a hostile client sends them, with or without the API token and with any header, and
 * every answer kept as it came (status, body, time), whatever it was. A request that gets no answer in time reads
 * as status {@link #NO_ANSWER}.
 */
final class Http {
    static final int NO_ANSWER = -1;
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** An answer: its status, the start of its body on one line, its headers and how long it took. */
    record Reply(int status, String body, Map<String, List<String>> headers, Duration time) {
        boolean clientError() {
            return status >= 400 && status < 500;
        }

        Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst();
        }

        /** {@code 400 {"error":"lr must be ..."}}, cut to {@code max} characters. */
        String summary(int max) {
            String text = status == NO_ANSWER ? body : status + " " + body;
            return text.length() <= max ? text : text.substring(0, max - 3) + "...";
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final String token;

    Http(String token) {
        this.token = token;
    }

    HttpClient client() {
        return client;
    }

    Reply get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), TIMEOUT);
    }

    /** A POST carrying the suite's token. */
    Reply post(String url, String contentType, byte[] body) {
        return send(
                withToken(HttpRequest.newBuilder(URI.create(url)))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                TIMEOUT);
    }

    Reply postJson(String url, String json) {
        return post(url, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    HttpRequest.Builder withToken(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + token);
    }

    /** Any request; no answer within {@code timeout} (or a refused connection) is a reply of its own. */
    Reply send(HttpRequest.Builder request, Duration timeout) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<InputStream> response =
                    client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                body = oneLine(in.readNBytes(4096));
            }
            return new Reply(response.statusCode(), body, response.headers().map(), since(t0));
        } catch (HttpTimeoutException e) {
            return new Reply(NO_ANSWER, "no answer within " + timeout.toSeconds() + " s", Map.of(), since(t0));
        } catch (IOException e) {
            return new Reply(NO_ANSWER, "no answer: " + e, Map.of(), since(t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(NO_ANSWER, "interrupted", Map.of(), since(t0));
        }
    }

    /**
     * A request written on a socket as given: for what java.net.http will not send (another {@code Host}).
     *
     * @param head the request line and headers, without the blank line that ends them
     */
    static Reply raw(int port, String head, byte[] body) {
        long t0 = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            for (int n; answer.size() < 65536 && (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
            }
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            String[] parts = text.split("\r\n\r\n", 2);
            String[] statusLine = parts[0].split(" ", 3);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String line : parts[0].split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(
                            line.substring(0, colon).strip(),
                            List.of(line.substring(colon + 1).strip()));
                }
            }
            return new Reply(
                    Integer.parseInt(statusLine[1]),
                    parts.length > 1 ? oneLine(parts[1].getBytes(StandardCharsets.ISO_8859_1)) : "",
                    headers,
                    since(t0));
        } catch (SocketTimeoutException e) {
            return new Reply(NO_ANSWER, "no answer within " + TIMEOUT.toSeconds() + " s", Map.of(), since(t0));
        } catch (IOException | RuntimeException e) {
            return new Reply(NO_ANSWER, "no answer: " + e, Map.of(), since(t0));
        }
    }

    private static String oneLine(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
