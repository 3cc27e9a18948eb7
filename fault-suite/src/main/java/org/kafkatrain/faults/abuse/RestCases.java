package org.kafkatrain.faults.abuse;

import static org.kafkatrain.faults.abuse.Abuse.refused;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kafkatrain.faults.abuse.AbusePipeline.Service;
import org.kafkatrain.faults.abuse.Case.Answer;
import org.kafkatrain.faults.abuse.Case.Step;
import org.kafkatrain.faults.abuse.Http.Reply;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Bad requests to the services' REST APIs: without the token or from another origin, through another host name,
 * with numbers out of range, ids that are paths, bodies that are not what they claim, images whose headers promise
 * gigapixels, tensors that promise a million images, and more live streams than a service holds.
 */
final class RestCases {
    private static final String ATTACKER = "http://attacker.example";
    private static final Set<Integer> BAD_REQUEST = Set.of(400);
    private static final Set<Integer> NO_TOKEN = Set.of(401);
    private static final Set<Integer> FORBIDDEN = Set.of(403);

    private RestCases() {}

    // ---- trainer-service ----

    static List<Step> trainer() {
        List<Step> s = new ArrayList<>();
        s.add(Step.of(
                trainerCase("trainer-no-token", "POST /runs without Authorization", "POST /runs", false),
                a -> refused(
                        a.http.send(
                                json(
                                        a.trainer("/runs"),
                                        a.runRequest("abuse-" + a.stamp + "-a").toString()),
                                Http.TIMEOUT),
                        NO_TOKEN)));
        s.add(Step.of(
                trainerCase("trainer-wrong-token", "POST /runs with a wrong token", "POST /runs", false),
                a -> refused(
                        a.http.send(
                                json(
                                                a.trainer("/runs"),
                                                a.runRequest("abuse-" + a.stamp + "-b")
                                                        .toString())
                                        .header("Authorization", "Bearer not-the-token"),
                                Http.TIMEOUT),
                        NO_TOKEN)));
        s.add(Step.of(
                trainerCase(
                        "trainer-cross-origin-stop",
                        "no-cors POST /runs/<model>/stop from a page of attacker.example (text/plain, no token)",
                        "POST /runs/{id}/stop",
                        true),
                a -> refused(
                        a.http.send(
                                HttpRequest.newBuilder(URI.create(a.trainer("/runs/" + a.model + "/stop")))
                                        .header("Origin", ATTACKER)
                                        .header("Content-Type", "text/plain")
                                        .POST(HttpRequest.BodyPublishers.ofString("stop")),
                                Http.TIMEOUT),
                        Set.of(401, 403))));
        s.add(Step.of(
                trainerCase(
                        "trainer-foreign-origin",
                        "POST /runs with the token but Origin attacker.example",
                        "POST /runs",
                        false),
                a -> refused(
                        a.http.send(
                                a.http.withToken(json(
                                                a.trainer("/runs"),
                                                a.runRequest("abuse-" + a.stamp + "-c")
                                                        .toString()))
                                        .header("Origin", ATTACKER),
                                Http.TIMEOUT),
                        FORBIDDEN)));
        s.add(Step.of(
                trainerCase("trainer-host", "GET /runs with Host: attacker.example (DNS rebinding)", "GET /runs", true),
                a -> refused(hostile(a, Service.TRAINER, "GET /runs"), FORBIDDEN)));
        s.add(number("trainer-lr-infinite", "lr 1e999 (Infinity)", "lr", "1e999", true));
        s.add(number("trainer-beta1-one", "beta1 1.0", "beta1", "1.0", false));
        s.add(number("trainer-batch-million", "batchSize 1000000", "batchSize", "1000000", false));
        s.add(number("trainer-shuffle-max", "shuffleBuffer 2^31-1", "shuffleBuffer", "2147483647", false));
        s.add(number("trainer-eps-negative", "eps -1", "eps", "-1", false));
        s.add(number("trainer-keep-last-max", "keepLast 2^31-1", "keepLast", "2147483647", false));
        s.add(number("trainer-epochs-text", "epochs \"many\"", "epochs", "\"many\"", false));
        s.add(Step.of(
                trainerCase(
                        "trainer-file-oracle",
                        "initWeights file:/etc/shadow, then file:/etc/no-such-file: must answer alike",
                        "POST /runs",
                        true),
                RestCases::fileOracle));
        s.add(Step.of(trainerCase("trainer-run-id-path", "runId ../../etc/passwd", "POST /runs", false), a -> {
            ObjectNode r = a.runRequest("x");
            r.put("runId", "../../etc/passwd");
            return refused(a.http.postJson(a.trainer("/runs"), r.toString()), BAD_REQUEST, "runId");
        }));
        s.add(Step.of(
                trainerCase("trainer-from-run-missing", "fromRun of a run that does not exist", "POST /runs", false),
                a -> {
                    ObjectNode r = a.runRequest("abuse-" + a.stamp + "-fork-x");
                    r.put("fromRun", "abuse-no-such-run");
                    return refused(a.http.postJson(a.trainer("/runs"), r.toString()), null, "abuse-no-such-run");
                }));
        s.add(Step.of(
                trainerCase("trainer-not-json", "64 KB of random bytes as application/json", "POST /runs", false),
                a -> refused(
                        a.http.post(a.trainer("/runs"), "application/json", HostileFiles.random(65536, 5)),
                        BAD_REQUEST)));
        s.add(Step.of(
                trainerCase("trainer-deep-json", "JSON nested 100000 arrays deep", "POST /runs", false),
                a -> refused(a.http.postJson(a.trainer("/runs"), deepJson(100_000)), BAD_REQUEST)));
        s.add(Step.of(trainerCase("trainer-20mb-body", "a 20 MB run request", "POST /runs", false), a -> {
            String pad = "a".repeat(20 << 20);
            return refused(
                    a.http.postJson(a.trainer("/runs"), "{\"runId\":\"abuse-pad\",\"dataset\":\"" + pad + "\"}"), null);
        }));
        s.add(Step.of(
                trainerCase(
                        "trainer-rank-spec",
                        "POST /runs/x/ranks/1 with a spec that is not one",
                        "POST /runs/{id}/ranks/{rank}",
                        false),
                a -> refused(a.http.postJson(a.trainer("/runs/x/ranks/1"), "{\"nonsense\":[1,2,3]}"), BAD_REQUEST)));
        s.add(Step.of(
                trainerCase(
                        "trainer-queue-full",
                        "a third queued run beyond trainer.max-queued-runs (2)",
                        "POST /runs",
                        false),
                RestCases::queueFull));
        return s;
    }

    private static Case trainerCase(String id, String input, String endpoint, boolean ci) {
        return new Case(id, input, "trainer " + endpoint, Service.TRAINER, ci);
    }

    /** POST /runs with one field set to a raw JSON value out of its range: 400 naming the field. */
    private static Step number(String id, String input, String field, String rawValue, boolean ci) {
        return Step.of(trainerCase(id, input, "POST /runs", ci), a -> {
            ObjectNode r = a.runRequest("abuse-" + a.stamp + "-" + id);
            r.remove(field);
            String body = r.toString();
            body = body.substring(0, body.length() - 1) + ",\"" + field + "\":" + rawValue + "}";
            return refused(a.http.postJson(a.trainer("/runs"), body), BAD_REQUEST, field);
        });
    }

    private static Answer fileOracle(Abuse a) {
        ObjectNode shadow = a.runRequest("abuse-" + a.stamp + "-shadow");
        shadow.put("initWeights", "file:/etc/shadow");
        ObjectNode missing = a.runRequest("abuse-" + a.stamp + "-shadow");
        missing.put("initWeights", "file:/etc/no-such-file");
        Reply one = a.http.postJson(a.trainer("/runs"), shadow.toString());
        Reply two = a.http.postJson(a.trainer("/runs"), missing.toString());
        Answer answer = refused(one, BAD_REQUEST, "initWeights");
        List<String> more = new ArrayList<>(refused(two, BAD_REQUEST).failures());
        if (!one.body().replace("/etc/shadow", "P").equals(two.body().replace("/etc/no-such-file", "P"))) {
            more.add("an existing and a missing file answer differently: " + two.summary(120));
        }
        return answer.with(more);
    }

    /** Fills the queue (one run training, two waiting); the next must be 429. Stops them all again. */
    private static Answer queueFull(Abuse a) throws Exception {
        List<String> ids = new ArrayList<>();
        Reply refusal = null;
        for (int i = 0; i < 4 && refusal == null; i++) {
            String id = "abuse-" + a.stamp + "-queued-" + i;
            ObjectNode r = a.runRequest(id);
            r.put("epochs", 1000);
            Reply reply = a.http.postJson(a.trainer("/runs"), r.toString());
            if (reply.status() == 201) {
                ids.add(id);
            } else {
                refusal = reply;
            }
        }
        for (String id : ids) {
            a.http.post(a.trainer("/runs/" + id + "/stop"), "application/json", new byte[0]);
        }
        for (String id : ids) {
            a.awaitRunEnd(id, Duration.ofMinutes(5));
        }
        if (refusal == null) {
            return Answer.failed(
                    "4 runs accepted", Duration.ZERO, "no 429: the queue takes more than trainer.max-queued-runs");
        }
        Answer answer = refused(refusal, Set.of(429));
        if (refusal.status() == 429 && ids.size() != 3) {
            return answer.with(List.of("429 after " + ids.size() + " runs, expected after 3 (1 running, 2 queued)"));
        }
        return answer;
    }

    // ---- ingest-service serve (uploads) ----

    static List<Step> ingest() {
        List<Step> s = new ArrayList<>();
        s.add(upload(
                "ingest-no-token",
                "an upload without Authorization",
                false,
                a -> refused(
                        a.http.send(
                                HttpRequest.newBuilder(URI.create(uploadUrl(a, a.dataset, "1", "train")))
                                        .header("Content-Type", "image/png")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(a.goodPng)),
                                Http.TIMEOUT),
                        NO_TOKEN)));
        s.add(upload(
                "ingest-bmp-as-png",
                "a BMP declared image/png",
                true,
                a -> refused(
                        a.http.post(
                                uploadUrl(a, a.dataset, "1", "train"),
                                "image/png",
                                HostileFiles.bmp(a.images.pixels(1), 28)),
                        BAD_REQUEST)));
        s.add(upload(
                "ingest-gif",
                "an upload of type image/gif",
                false,
                a -> refused(
                        a.http.post(uploadUrl(a, a.dataset, "1", "train"), "image/gif", "GIF89a".getBytes()),
                        Set.of(415))));
        s.add(upload(
                "ingest-dataset-path",
                "dataset ../../etc",
                false,
                a -> refused(
                        a.http.post(uploadUrl(a, "..%2F..%2Fetc", "1", "train"), "image/png", a.goodPng),
                        BAD_REQUEST)));
        s.add(upload(
                "ingest-png-bomb",
                "a PNG of 8192x8192 zeros (64 MP in 66 KB)",
                false,
                a -> refused(
                        a.http.post(uploadUrl(a, a.dataset, "1", "train"), "image/png", HostileFiles.zeroPng(8192)),
                        Set.of(400, 413))));
        s.add(upload(
                "ingest-label-99",
                "label 99 of 10 classes",
                false,
                a -> refused(
                        a.http.post(uploadUrl(a, a.dataset, "99", "train"), "image/png", a.goodPng), BAD_REQUEST)));
        s.add(upload(
                "ingest-split",
                "split ../x",
                false,
                a -> refused(
                        a.http.post(uploadUrl(a, a.dataset, "1", "..%2Fx"), "image/png", a.goodPng), BAD_REQUEST)));
        s.add(upload(
                "ingest-truncated",
                "half a PNG",
                false,
                a -> refused(
                        a.http.post(
                                uploadUrl(a, a.dataset, "1", "train"),
                                "image/png",
                                java.util.Arrays.copyOf(a.goodPng, a.goodPng.length / 2)),
                        BAD_REQUEST)));
        s.add(upload(
                "ingest-empty",
                "an empty body",
                false,
                a -> refused(
                        a.http.post(uploadUrl(a, a.dataset, "1", "train"), "image/png", new byte[0]), BAD_REQUEST)));
        s.add(upload(
                "ingest-cross-origin-form",
                "a multipart form post from a page of attacker.example, no token",
                false,
                a -> {
                    String boundary = "abuse" + a.stamp;
                    byte[] form = multipart(boundary, a.dataset, a.goodPng);
                    return refused(
                            a.http.send(
                                    HttpRequest.newBuilder(URI.create(a.ingest("/images")))
                                            .header("Origin", ATTACKER)
                                            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                            .POST(HttpRequest.BodyPublishers.ofByteArray(form)),
                                    Http.TIMEOUT),
                            Set.of(401, 403));
                }));
        s.add(upload(
                "ingest-host",
                "an upload with Host: attacker.example",
                false,
                a -> refused(hostile(a, Service.INGEST, "POST /images?dataset=" + a.dataset + "&label=1"), FORBIDDEN)));
        return s;
    }

    private static Step upload(String id, String input, boolean ci, Case.Probe probe) {
        return Step.of(new Case(id, input, "ingest POST /images", Service.INGEST, ci), probe);
    }

    private static String uploadUrl(Abuse a, String dataset, String label, String split) {
        return a.ingest("/images?dataset=" + dataset + "&label=" + label + "&split=" + split);
    }

    private static byte[] multipart(String boundary, String dataset, byte[] png) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"dataset\"\r\n\r\n" + dataset
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\n1\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(png);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    // ---- inference-service ----

    static List<Step> inference() {
        List<Step> s = new ArrayList<>();
        s.add(infer(
                "inference-no-token",
                "POST /predict without Authorization",
                "POST /predict/{run}",
                false,
                a -> refused(
                        a.http.send(
                                HttpRequest.newBuilder(URI.create(a.inference("/predict/" + a.model)))
                                        .header("Content-Type", "image/png")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(a.goodPng)),
                                Http.TIMEOUT),
                        NO_TOKEN)));
        s.add(infer(
                "inference-million-images",
                "a UINT8 tensor shaped [1000000,1,1,1] (2 MB of JSON): refused within 1 s",
                "POST /v2/models/{run}/infer",
                true,
                a -> {
                    Reply r = a.http.postJson(
                            a.inference("/v2/models/" + a.model + "/infer"), tensor("[1000000,1,1,1]", 1_000_000));
                    Answer answer = refused(r, null);
                    return r.time().toMillis() > 1000
                            ? answer.with(List.of("answered after " + r.time().toMillis() + " ms, not within 1 s"))
                            : answer;
                }));
        s.add(infer(
                "inference-null-dims",
                "a tensor shaped [null,28,28,1]",
                "POST /v2/models/{run}/infer",
                false,
                a -> refused(
                        a.http.postJson(a.inference("/v2/models/" + a.model + "/infer"), tensor("[null,28,28,1]", 784)),
                        BAD_REQUEST)));
        s.add(infer(
                "inference-negative-dims",
                "a tensor shaped [-1,28,28,1]",
                "POST /v2/models/{run}/infer",
                false,
                a -> refused(
                        a.http.postJson(a.inference("/v2/models/" + a.model + "/infer"), tensor("[-1,28,28,1]", 784)),
                        BAD_REQUEST)));
        s.add(infer(
                "inference-overflow-dims",
                "a tensor shaped [2^32+1,1,1,1] holding one byte",
                "POST /v2/models/{run}/infer",
                false,
                a -> refused(
                        a.http.postJson(
                                a.inference("/v2/models/" + a.model + "/infer"), tensor("[4294967297,1,1,1]", 1)),
                        Set.of(400, 413))));
        s.add(infer(
                "inference-257-images",
                "257 images of 28x28 in one request (one more than inference.limits.max-images-per-request)",
                "POST /v2/models/{run}/infer",
                false,
                a -> refused(
                        a.http.postJson(
                                a.inference("/v2/models/" + a.model + "/infer"), tensor("[257,28,28,1]", 257 * 784)),
                        Set.of(400, 413))));
        s.add(infer(
                "inference-get-loads",
                "GET /v2/models/<a trained run not loaded>: a read must not load a model",
                "GET /v2/models/{run}",
                true,
                RestCases::getMustNotLoad));
        s.add(infer(
                "inference-html",
                "a prediction of type text/html",
                "POST /predict/{run}",
                false,
                a -> refused(
                        a.http.post(
                                a.inference("/predict/" + a.model),
                                "text/html",
                                "<img src=x onerror=alert(1)>".getBytes(StandardCharsets.UTF_8)),
                        Set.of(415))));
        s.add(infer(
                "inference-garbage",
                "3000 random bytes as image/png",
                "POST /predict/{run}",
                false,
                a -> refused(
                        a.http.post(a.inference("/predict/" + a.model), "image/png", HostileFiles.random(3000, 9)),
                        BAD_REQUEST)));
        s.add(infer(
                "inference-png-bomb",
                "a PNG of 8192x8192 zeros (64 MP in 66 KB)",
                "POST /predict/{run}",
                false,
                a -> refused(
                        a.http.post(a.inference("/predict/" + a.model), "image/png", HostileFiles.zeroPng(8192)),
                        Set.of(400, 413))));
        s.add(infer(
                "inference-run-path",
                "POST /predict/..%2F..%2Fetc%2Fpasswd",
                "POST /predict/{run}",
                false,
                a -> refused(
                        a.http.post(a.inference("/predict/..%2F..%2Fetc%2Fpasswd"), "image/png", a.goodPng), null)));
        s.add(infer(
                "inference-unknown-run",
                "a prediction for a run that does not exist",
                "POST /predict/{run}",
                false,
                a -> refused(
                        a.http.post(a.inference("/predict/abuse-no-such-run"), "image/png", a.goodPng), Set.of(404))));
        s.add(infer(
                "inference-bytes-garbage",
                "a BYTES tensor of two strings that are not base64 images",
                "POST /v2/models/{run}/infer",
                false,
                a -> refused(
                        a.http.postJson(
                                a.inference("/v2/models/" + a.model + "/infer"),
                                "{\"inputs\":[{\"name\":\"input\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":"
                                        + "[\"!!not base64!!\",\""
                                        + Base64.getEncoder().encodeToString(HostileFiles.random(100_000, 11))
                                        + "\"]}]}"),
                        BAD_REQUEST)));
        s.add(infer(
                "inference-deep-json",
                "JSON nested 100000 arrays deep",
                "POST /v2/models/{run}/infer",
                false,
                a -> refused(
                        a.http.postJson(a.inference("/v2/models/" + a.model + "/infer"), deepJson(100_000)),
                        BAD_REQUEST)));
        s.add(infer(
                "inference-host",
                "GET /v2/models/<model> with Host: attacker.example",
                "GET /v2/models/{run}",
                false,
                a -> refused(hostile(a, Service.INFERENCE, "GET /v2/models/" + a.model), FORBIDDEN)));
        return s;
    }

    private static Step infer(String id, String input, String endpoint, boolean ci, Case.Probe probe) {
        return Step.of(new Case(id, input, "inference " + endpoint, Service.INFERENCE, ci), probe);
    }

    /** A V2 inference request of one UINT8 input of this shape holding {@code values} zeros. */
    private static String tensor(String shape, int values) {
        StringBuilder body = new StringBuilder(values * 2 + 200);
        body.append("{\"inputs\":[{\"name\":\"input\",\"shape\":")
                .append(shape)
                .append(",\"datatype\":\"UINT8\",\"data\":[");
        for (int i = 0; i < values; i++) {
            body.append(i == 0 ? "0" : ",0");
        }
        return body.append("]}]}").toString();
    }

    private static Answer getMustNotLoad(Abuse a) throws InterruptedException {
        String run = a.trainedRuns.isEmpty() ? "abuse-" + a.stamp + "-never-trained" : a.trainedRuns.get(0);
        Reply r = a.http.get(a.inference("/v2/models/" + run));
        Answer answer = refused(r, Set.of(404));
        Thread.sleep(2000); // a load started by the read would be under way or done by now
        Reply ready = a.http.get(a.inference("/v2/models/" + run + "/ready"));
        if (ready.status() == 200) {
            return answer.with(List.of("the read loaded the model of run " + run + ": /ready answers 200"));
        }
        return answer;
    }

    // ---- metrics-stream ----

    static List<Step> metrics() {
        List<Step> s = new ArrayList<>();
        s.add(metric(
                "metrics-host",
                "GET /runs with Host: attacker.example",
                "GET /runs",
                true,
                a -> refused(hostile(a, Service.METRICS, "GET /runs"), FORBIDDEN)));
        s.add(metric(
                "metrics-points-zero",
                "a series of 0 points",
                "GET /runs/{id}/series",
                false,
                a -> refused(a.http.get(a.metrics("/runs/" + a.model + "/series?points=0")), BAD_REQUEST)));
        s.add(metric(
                "metrics-points-max",
                "a series of 2^31-1 points",
                "GET /runs/{id}/series",
                false,
                a -> refused(a.http.get(a.metrics("/runs/" + a.model + "/series?points=2147483647")), BAD_REQUEST)));
        s.add(metric(
                "metrics-unknown-metric",
                "a series of metric ../../etc",
                "GET /runs/{id}/series",
                false,
                a -> refused(a.http.get(a.metrics("/runs/" + a.model + "/series?metric=..%2F..%2Fetc")), BAD_REQUEST)));
        s.add(metric(
                "metrics-script-run-id",
                "GET /runs/<img src=x onerror=alert(1)>/metrics",
                "GET /runs/{id}/metrics",
                false,
                a -> refused(a.http.get(a.metrics("/runs/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/metrics")), null)));
        s.add(metric(
                "metrics-sse-flood",
                "96 live streams (SSE) opened at once, then dropped",
                "GET /runs/{id}/stream",
                false,
                RestCases::sseFlood));
        return s;
    }

    private static Step metric(String id, String input, String endpoint, boolean ci, Case.Probe probe) {
        return Step.of(new Case(id, input, "metrics " + endpoint, Service.METRICS, ci), probe);
    }

    /**
     * Opens 96 live streams at once on raw sockets: past metrics.sse.max-clients the rest must be refused, each
     * admitted one holds its place only while its client stays, and once all have gone a new one is admitted.
     */
    private static Answer sseFlood(Abuse a) throws Exception {
        int port = a.pipeline.port(Service.METRICS);
        List<Socket> sockets = new ArrayList<>();
        int admitted = 0;
        int silent = 0;
        List<String> refusals = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < 96; i++) {
                Socket socket = new Socket();
                sockets.add(socket);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                socket.getOutputStream()
                        .write(("GET /runs/" + a.model + "/stream HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                        + "\r\nAccept: text/event-stream\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
            }
            Thread.sleep(2000); // every request has been read and answered, or admitted, by now
            for (Socket socket : sockets) {
                String status = head(socket, 300);
                if (status == null) {
                    silent++; // headers not sent yet: held open all the same
                } else if (status.startsWith("HTTP/1.1 200")) {
                    admitted++;
                } else {
                    refusals.add(status);
                }
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        Duration time = Duration.ofNanos(System.nanoTime() - t0);
        String text = admitted + " admitted, " + silent + " silent, " + refusals.size() + " refused"
                + (refusals.isEmpty() ? "" : " (" + refusals.get(0).split("; ")[0] + ")");
        if (refusals.isEmpty()) {
            failures.add("no stream refused: live clients are not bounded");
        }
        for (String r : refusals) {
            boolean capacity =
                    r.contains(" 429") || (r.contains(" 503") && r.toLowerCase().contains("retry-after"));
            if (!capacity && !(r.contains(" 4"))) {
                failures.add("a refusal that is neither a 4xx nor 503 with Retry-After: " + r);
                break;
            }
        }
        // the places free again once their clients are gone
        Reply again = null;
        for (int i = 0; i < 20; i++) {
            Thread.sleep(500);
            again = streamOnce(port, "/runs/" + a.model + "/stream");
            if (admitted(again)) {
                break;
            }
        }
        if (again == null || !admitted(again)) {
            failures.add("after the clients left, a new stream answers " + (again == null ? "-" : again.summary(80)));
        }
        return Answer.of(text, time, failures);
    }

    /**
     * The head of the answer on {@code socket} (status line and headers, joined with "; "), or null when none came
     * within {@code waitMillis}.
     */
    private static String head(Socket socket, int waitMillis) {
        StringBuilder head = new StringBuilder();
        try {
            socket.setSoTimeout(waitMillis);
            InputStream in = socket.getInputStream();
            for (int c; head.length() < 4096 && (c = in.read()) >= 0; ) {
                head.append((char) c);
                if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            if (head.length() == 0) {
                return null;
            }
        } catch (java.io.IOException e) {
            return "no answer: " + e.getMessage();
        }
        return head.toString().strip().replace("\r\n", "; ");
    }

    /** A stream whose status is 200, or that is held open without one (headers wait for the first event). */
    private static boolean admitted(Reply r) {
        return r.status() == 200 || r.body().startsWith("no status");
    }

    /** Opens one live stream and closes it once its status came. */
    private static Reply streamOnce(int port, String path) {
        long t0 = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                    + "\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            String status = head(socket, 3000);
            int code = status == null || !status.startsWith("HTTP/")
                    ? Http.NO_ANSWER
                    : Integer.parseInt(status.split(" ")[1]);
            return new Reply(
                    code,
                    status == null ? "no status within 3 s" : status,
                    java.util.Map.of(),
                    Duration.ofNanos(System.nanoTime() - t0));
        } catch (java.io.IOException | RuntimeException e) {
            return new Reply(Http.NO_ANSWER, "no answer: " + e, java.util.Map.of(), Duration.ZERO);
        }
    }

    // ---- shared ----

    /** A request whose Host is attacker.example, written on a socket (java.net.http will not set Host). */
    private static Reply hostile(Abuse a, Service s, String requestLine) {
        boolean post = requestLine.startsWith("POST");
        String head = requestLine + " HTTP/1.1\r\nHost: attacker.example\r\nAuthorization: Bearer " + a.pipeline.token()
                + (post ? "\r\nContent-Type: image/png" : "");
        return Http.raw(a.pipeline.port(s), head, post ? a.goodPng : new byte[0]);
    }

    private static HttpRequest.Builder json(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String deepJson(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** The run's state and message, for answers about runs. */
    static String describe(JsonNode status) {
        String message = status.path("message").asText("");
        return status.path("state").asText("?") + (message.isEmpty() ? "" : ": " + message);
    }
}
