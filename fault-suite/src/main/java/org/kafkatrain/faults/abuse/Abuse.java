package org.kafkatrain.faults.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.kafkatrain.faults.abuse.AbusePipeline.Service;
import org.kafkatrain.faults.abuse.Case.Answer;
import org.kafkatrain.faults.abuse.Http.Reply;
import org.kafkatrain.testing.FashionMnist;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the cases share: the pipeline and clients of its HTTP, Kafka and S3, the dataset ingested for it and the
 * small run trained on it (the model inference serves), and the checks every case uses: is an answer a refusal,
 * and is a service's next good request served.
 */
final class Abuse implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int BATCH = 16;
    /** Most characters of an answer the table shows. */
    static final int ANSWER_CHARS = 110;

    final AbusePipeline pipeline;
    final Http http;
    final TopicWatch watch;
    final KafkaProducer<String, byte[]> producer;
    final MinioClient s3;
    final String stamp;
    final String dataset;
    final String trainTopic;
    final String valTopic;
    /** The run trained at the start, whose checkpoint inference serves to the cases. */
    final String model;

    final Path files;
    final FashionMnist images;
    /** A Fashion-MNIST test image as PNG, and its label: the good request of inference and uploads. */
    final byte[] goodPng;

    final int goodLabel;
    /** Runs other steps trained (a second model the inference cases may ask for without loading it). */
    final List<String> trainedRuns = new ArrayList<>();

    private int goodCount;
    private int warmUps;

    Abuse(AbusePipeline pipeline) throws Exception {
        this.pipeline = pipeline;
        this.http = new Http(pipeline.token());
        this.stamp = Long.toString(System.currentTimeMillis() % 10_000_000_000L, 36);
        this.dataset = "abuse-fmnist-" + stamp;
        this.trainTopic = "abuse-" + stamp + ".train";
        this.valTopic = "abuse-" + stamp + ".val";
        this.model = "abuse-" + stamp + "-model";
        this.files = pipeline.home().resolve("files-" + stamp);
        Files.createDirectories(files);
        this.images = FashionMnist.load("t10k");
        this.goodPng = HostileFiles.png(images.pixels(0), FashionMnist.SIDE);
        this.goodLabel = images.label(0);
        this.watch = new TopicWatch(pipeline.bootstrapServers());
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        pipeline.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        // the broker takes records of up to 2 MiB (message.max.bytes), so a hostile producer may too
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        2 << 20),
                new StringSerializer(),
                new ByteArraySerializer());
        this.s3 = MinioClient.builder()
                .endpoint(pipeline.s3Endpoint())
                .credentials(pipeline.s3AccessKey(), pipeline.s3SecretKey())
                .build();
    }

    // ---- the fixture: a dataset and a model ----

    /** Ingests {@code perClass} Fashion-MNIST images per class and trains one epoch on them: the served model. */
    void prepare(int perClass) throws Exception {
        say("ingesting " + perClass + " Fashion-MNIST images per class as dataset " + dataset);
        ProcessBuilder ingest = pipeline.ingestCommand(List.of(
                FashionMnist.DIR.toString(),
                "--dataset",
                dataset,
                "--train-topic",
                trainTopic,
                "--val-topic",
                valTopic,
                "--limit",
                Integer.toString(perClass),
                "--val-limit",
                Integer.toString(Math.max(1, perClass / 5)),
                "--no-progress"));
        Path log = pipeline.home().resolve("ingest-" + stamp + ".log");
        Process p = ingest.redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ingest of the suite's dataset failed (log: " + log + ")");
        }
        say("training run " + model + " (1 epoch) for inference to serve");
        Reply started = http.postJson(trainer("/runs"), runRequest(model).toString());
        if (started.status() != 201) {
            throw new IOException("POST /runs of the model run: " + started.summary(300));
        }
        JsonNode end = awaitRunEnd(model, Duration.ofMinutes(15));
        if (!"FINISHED".equals(end.path("state").asText())) {
            throw new IOException("the model run ended " + end);
        }
        // the first prediction loads the model; the first of each kind of request warms its code
        for (Service s : List.of(Service.TRAINER, Service.METRICS, Service.INFERENCE, Service.INGEST)) {
            Optional<String> failure = goodRequest(s);
            if (failure.isPresent()) {
                throw new IOException("the good request of " + s.label + " failed: " + failure.get());
            }
        }
        say("model " + model + " served; the cases begin");
    }

    /**
     * Brings a restarted service to where the suite's start left it: the trainer trains a run (libtorch's first
     * allocations), the others serve their good request (inference loads the model).
     */
    void warmUp(Service s) throws IOException, InterruptedException {
        if (s == Service.TRAINER) {
            String run = "abuse-" + stamp + "-warm-" + (++warmUps);
            Reply started = http.postJson(trainer("/runs"), runRequest(run).toString());
            if (started.status() == 201) {
                awaitRunEnd(run, Duration.ofMinutes(10));
            }
        }
        goodRequest(s);
    }

    /** A run of one epoch on the suite's dataset, batch 16: the request the cases change. */
    ObjectNode runRequest(String runId) {
        ObjectNode request = JSON.createObjectNode();
        request.put("runId", runId);
        request.put("dataset", dataset);
        request.put("trainTopic", trainTopic);
        request.put("valTopic", valTopic);
        request.put("epochs", 1);
        request.put("batchSize", BATCH);
        request.put("seed", 7);
        return request;
    }

    /** Waits for a run to end (FINISHED, FAILED or STOPPED) and returns its status. */
    JsonNode awaitRunEnd(String runId, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = status(runId);
                String state = last.path("state").asText();
                if (state.equals("FINISHED") || state.equals("FAILED") || state.equals("STOPPED")) {
                    return last;
                }
            } catch (IOException e) {
                // the trainer is away (restarting) or the run not known yet: ask again
            }
            Thread.sleep(300);
        }
        throw new IOException("run " + runId + " did not end within " + patience.toMinutes() + " min: " + last);
    }

    /** The run's whole status. */
    JsonNode status(String runId) throws IOException, InterruptedException {
        var response = http.client()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(trainer("/runs/" + runId)))
                                .timeout(Http.TIMEOUT)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        return JSON.readTree(response.body());
    }

    // ---- addresses ----

    String trainer(String path) {
        return pipeline.url(Service.TRAINER) + path;
    }

    String metrics(String path) {
        return pipeline.url(Service.METRICS) + path;
    }

    String inference(String path) {
        return pipeline.url(Service.INFERENCE) + path;
    }

    String ingest(String path) {
        return pipeline.url(Service.INGEST) + path;
    }

    // ---- sending ----

    /** A record as a plain producer writes it, headers as name-value pairs; where it landed. */
    RecordMetadata send(String topic, String key, byte[] value, String... headers) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
            }
        }
        return producer.send(record).get(30, TimeUnit.SECONDS);
    }

    /** An object into the checkpoint bucket, with user metadata (a checkpoint's sha256, epoch, step). */
    void putObject(String key, byte[] bytes, Map<String, String> metadata) throws Exception {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            s3.putObject(PutObjectArgs.builder().bucket("checkpoints").object(key).stream(in, bytes.length, -1)
                    .userMetadata(metadata)
                    .build());
        }
    }

    // ---- judging ----

    /**
     * A refusal: a 4xx (one of {@code statuses} when given) whose body names each of {@code mentions}; never a 5xx,
     * never silence.
     */
    static Answer refused(Reply r, Set<Integer> statuses, String... mentions) {
        List<String> failures = new ArrayList<>();
        if (r.status() == Http.NO_ANSWER) {
            failures.add(r.body());
        } else if (r.status() >= 500) {
            failures.add("a 5xx: the service failed instead of refusing");
        } else if (statuses != null && !statuses.contains(r.status())) {
            failures.add("expected " + statuses + ", got " + r.status());
        } else if (!r.clientError()) {
            failures.add("accepted: expected a 4xx");
        }
        for (String m : mentions) {
            if (r.clientError() && !r.body().toLowerCase(Locale.ROOT).contains(m.toLowerCase(Locale.ROOT))) {
                failures.add("the answer does not name " + m);
            }
        }
        return Answer.of(r.summary(ANSWER_CHARS), r.time(), failures);
    }

    /** The next good request a service must serve after a case; empty when it was served. */
    Optional<String> goodRequest(Service s) throws InterruptedException {
        Reply r;
        switch (s) {
            case TRAINER -> r = http.get(trainer("/runs"));
            case METRICS -> r = http.get(metrics("/runs"));
            case INFERENCE -> r = http.post(inference("/predict/" + model), "image/png", goodPng);
            case INGEST ->
                r = http.post(
                        ingest("/images?dataset=" + dataset + "&label=" + goodLabel + "&split=train"),
                        "image/png",
                        goodPng);
            default -> {
                return Optional.empty();
            }
        }
        int expected = s == Service.INGEST ? 202 : 200;
        if (r.status() == expected) {
            goodCount++;
            return Optional.empty();
        }
        return Optional.of(s.label + " answered a good request " + r.summary(160));
    }

    /** The checkpoint inference answers with now (its X-Checkpoint), or the reason there is none. */
    String servedCheckpoint() {
        Reply r = http.post(inference("/predict/" + model), "image/png", goodPng);
        return r.status() == 200 ? r.header("X-Checkpoint").orElse("?") : "no answer: " + r.summary(120);
    }

    int goodRequestsServed() {
        return goodCount;
    }

    /** A folder of its own for one case's files. */
    Path dir(String name) throws IOException {
        return Files.createDirectories(files.resolve(name));
    }

    static void say(String line) {
        System.out.println("[abuse] " + line);
    }

    @Override
    public void close() throws Exception {
        producer.close(Duration.ofSeconds(10));
        watch.close();
    }
}
