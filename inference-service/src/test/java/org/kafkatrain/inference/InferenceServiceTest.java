package org.kafkatrain.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kafkatrain.contracts.CheckpointEvent;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.Prediction;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.proto.PixelEncoding;
import org.kafkatrain.fixtures.TrainedRun;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.testing.LocalStackResource;
import org.kafkatrain.testing.TopicContents;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service against the real local stack: checkpoints that the training engine made and stored as the trainer
 * does, served over REST and Kafka with the trainer's own evaluation as the reference, and a newer checkpoint
 * swapped in while requests keep coming.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class InferenceServiceTest {
    private static final int VAL = 200;
    private static TrainedRun served;

    @Inject
    CheckpointStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.images-infer.topic")
    String inferTopic;

    @ConfigProperty(name = "mp.messaging.incoming.images-infer.dead-letter-queue.topic")
    String dlqTopic;

    @ConfigProperty(name = "mp.messaging.outgoing.predictions.topic")
    String predictionsTopic;

    @ConfigProperty(name = "mp.messaging.incoming.training-checkpoints.topic")
    String checkpointsTopic;

    @TempDir
    static Path dir;

    /** One run trained 8 steps and stored as epoch 0, shared by the tests that do not change it. */
    private synchronized TrainedRun served() throws Exception {
        if (served == null) {
            served = new TrainedRun("infer-" + UUID.randomUUID().toString().substring(0, 8));
            served.train(8);
            served.store(store, 0, 100.0 * served.evalTop1(VAL) / VAL, dir);
        }
        return served;
    }

    @Test
    void restPredictionsAreTheTrainersEvaluation() throws Exception {
        TrainedRun run = served();
        long trainerHits = run.evalTop1(VAL);

        // Open Inference Protocol: every val image in one UINT8 tensor [N, 28, 28, 1].
        List<Integer> data = new ArrayList<>();
        for (int i = 0; i < VAL; i++) {
            for (byte b : run.val.pixels(i)) {
                data.add(b & 0xff);
            }
        }
        JsonPath v2 = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "id",
                        "r1",
                        "inputs",
                        List.of(Map.of(
                                "name", "input", "datatype", "UINT8", "shape", List.of(VAL, 28, 28, 1), "data", data))))
                .post("/v2/models/" + run.runId + "/infer")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(v2.getString("model_name")).isEqualTo(run.runId);
        assertThat(v2.getString("model_version")).isEqualTo("runs/" + run.runId + "/epoch-0000.tar");
        assertThat(v2.getString("id")).isEqualTo("r1");
        assertThat(v2.getList("outputs[0].shape", Integer.class)).containsExactly(VAL, 10);
        List<Float> p = v2.getList("outputs[0].data", Float.class);
        int[] top1 = new int[VAL];
        long hits = 0;
        for (int i = 0; i < VAL; i++) {
            top1[i] = argmax(p, i * 10, 10);
            hits += top1[i] == run.val.label(i) ? 1 : 0;
        }
        assertThat(hits).as("service top-1 hits vs the trainer's evaluation").isEqualTo(trainerHits);

        // The plain endpoint, PNG in: five classes, most probable first, the same class as above.
        byte[] png = ImageFiles.encode(run.val.pixels(0), 28, 28, 1, "png");
        Response r = given().contentType("image/png").body(png).post("/predict/" + run.runId);
        r.then().statusCode(200).header("X-Checkpoint", "runs/" + run.runId + "/epoch-0000.tar");
        List<Map<String, Object>> top = r.jsonPath().getList("$");
        assertThat(top).hasSize(5);
        assertThat(top.get(0)).containsEntry("index", top1[0]).containsEntry("class", TrainedRun.CLASSES.get(top1[0]));
        double sum = 0;
        double previous = 1;
        for (Map<String, Object> c : top) {
            double prob = ((Number) c.get("probability")).doubleValue();
            assertThat(prob).isLessThanOrEqualTo(previous);
            previous = prob;
            sum += prob;
        }
        assertThat(sum).isLessThanOrEqualTo(1 + 1e-6);

        // A larger RGB photo is fitted as ingest fits images (resize shorter side, center crop, to gray).
        byte[] rgb = new byte[56 * 56 * 3];
        byte[] small = run.val.pixels(0);
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                byte v = small[(y / 2) * 28 + x / 2];
                rgb[(y * 56 + x) * 3] = rgb[(y * 56 + x) * 3 + 1] = rgb[(y * 56 + x) * 3 + 2] = v;
            }
        }
        given().contentType("image/jpeg")
                .body(ImageFiles.encode(rgb, 56, 56, 3, "jpg"))
                .post("/predict/" + run.runId + "?top=3")
                .then()
                .statusCode(200)
                .body("size()", org.hamcrest.Matchers.is(3));

        given().get("/v2/models/" + run.runId)
                .then()
                .statusCode(200)
                .body("inputs[0].shape", org.hamcrest.Matchers.contains(-1, 28, 28, 1))
                .body("outputs[0].shape", org.hamcrest.Matchers.contains(-1, 10))
                .body("parameters.classes[7]", org.hamcrest.Matchers.is("Sneaker"));
        given().get("/v2/health/ready").then().statusCode(200);
        given().get("/v2/models/" + run.runId + "/ready").then().statusCode(200);
    }

    @Test
    void badRequestsGetAReasonNeverAServerError() throws Exception {
        String run = served().runId;
        given().contentType("image/png")
                .body("not a png".getBytes(StandardCharsets.UTF_8))
                .post("/predict/" + run)
                .then()
                .statusCode(400)
                .body("error", containsString("CORRUPT_IMAGE"));
        given().contentType("text/plain")
                .body("hello")
                .post("/predict/" + run)
                .then()
                .statusCode(415)
                .body("error", containsString("image/png"));
        given().contentType("image/png")
                .body(ImageFiles.encode(new byte[784], 28, 28, 1, "png"))
                .post("/predict/no-such-run")
                .then()
                .statusCode(404)
                .body("error", containsString("no-such-run"));
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "inputs",
                        List.of(Map.of(
                                "name",
                                "input",
                                "datatype",
                                "UINT8",
                                "shape",
                                List.of(2, 28, 28, 1),
                                "data",
                                List.of(1, 2, 3)))))
                .post("/v2/models/" + run + "/infer")
                .then()
                .statusCode(400)
                .body("error", containsString("needs 1568"));
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "inputs",
                        List.of(Map.of(
                                "name", "input", "datatype", "FP32", "shape", List.of(1), "data", List.of(0.5)))))
                .post("/v2/models/" + run + "/infer")
                .then()
                .statusCode(400)
                .body("error", containsString("FP32"));
        given().contentType(ContentType.JSON)
                .body("{\"inputs\": []}")
                .post("/v2/models/" + run + "/infer")
                .then()
                .statusCode(400);
        given().contentType(ContentType.JSON)
                .body("{not json")
                .post("/v2/models/" + run + "/infer")
                .then()
                .statusCode(400);
    }

    @Test
    void recordsOnTheInferTopicGetOnePredictionEachAndBadOnesGoToTheDeadLetterTopic() throws Exception {
        TrainedRun run = served();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // One batch envelope with val images 0..49 (labels in it), then singles 50..69, half without a label.
            List<Sample> batch = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                batch.add(new Sample("val-" + i, run.val.label(i), 28, 28, 1, run.val.pixels(i)));
            }
            producer.send(record(
                    "batch",
                    ImageRecordCodec.BATCH_CONTENT_TYPE,
                    run.runId,
                    null,
                    ImageRecordCodec.encodeBatch("fashion-mnist", batch, PixelEncoding.PNG)));
            for (int i = 50; i < 70; i++) {
                producer.send(record(
                        "single-" + i,
                        "image/png",
                        run.runId,
                        i % 2 == 0 ? Integer.toString(run.val.label(i)) : null,
                        ImageFiles.encode(run.val.pixels(i), 28, 28, 1, "png")));
            }
            producer.send(record("garbage", "image/png", run.runId, null, "garbage".getBytes(StandardCharsets.UTF_8)));
            producer.send(
                    record("no-run", "image/png", null, null, ImageFiles.encode(run.val.pixels(0), 28, 28, 1, "png")));
            producer.send(record(
                    "label-99", "image/png", run.runId, "99", ImageFiles.encode(run.val.pixels(0), 28, 28, 1, "png")));
        }
        Map<String, Prediction> byKey = new HashMap<>();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            byKey.clear();
            for (ConsumerRecord<String, byte[]> r : TopicContents.readAll(bootstrap, predictionsTopic)) {
                byKey.put(r.key(), EventJson.readPrediction(r.value()));
            }
            assertThat(byKey).hasSize(21);
        });
        Prediction envelope = byKey.get("batch");
        assertThat(envelope.runId()).isEqualTo(run.runId);
        assertThat(envelope.checkpoint()).isEqualTo("runs/" + run.runId + "/epoch-0000.tar");
        assertThat(envelope.images()).hasSize(50);
        long hits = envelope.images().stream()
                .filter(i -> i.top().get(0).index() == i.label())
                .count();
        assertThat(hits)
                .as("top-1 hits over the envelope vs the trainer's evaluation")
                .isEqualTo(run.evalTop1(50));
        assertThat(byKey.get("single-50").images().get(0).label()).isEqualTo(run.val.label(50));
        assertThat(byKey.get("single-51").images().get(0).label()).isNull();
        assertThat(byKey.get("single-51").images().get(0).top()).hasSize(5);

        Map<String, String> reasons = new HashMap<>();
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            for (ConsumerRecord<String, byte[]> r : TopicContents.readAll(bootstrap, dlqTopic)) {
                var h = r.headers().lastHeader(Topics.HEADER_DEAD_LETTER_REASON);
                reasons.put(r.key(), h == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            assertThat(reasons).containsOnlyKeys("garbage", "no-run", "label-99");
        });
        assertThat(reasons.get("garbage")).contains("CORRUPT_IMAGE");
        assertThat(reasons.get("no-run")).contains("no run");
        assertThat(reasons.get("label-99")).contains("LABEL_OUT_OF_RANGE");
    }

    @Test
    void aNewerCheckpointIsSwappedInWithoutDroppingRequests() throws Exception {
        TrainedRun run = new TrainedRun("swap-" + UUID.randomUUID().toString().substring(0, 8));
        run.train(4);
        run.store(store, 0, null, dir);
        byte[] png = ImageFiles.encode(run.val.pixels(3), 28, 28, 1, "png");
        given().contentType("image/png")
                .body(png)
                .post("/predict/" + run.runId)
                .then()
                .statusCode(200);

        AtomicBoolean going = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        Map<String, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
        Thread client = new Thread(() -> {
            while (going.get()) {
                Response r = given().contentType("image/png").body(png).post("/predict/" + run.runId);
                if (r.statusCode() == 200) {
                    answeredBy
                            .computeIfAbsent(r.header("X-Checkpoint"), k -> new AtomicInteger())
                            .incrementAndGet();
                } else {
                    failures.incrementAndGet();
                }
            }
        });
        client.start();
        CheckpointEvent next;
        try {
            run.train(4);
            next = run.store(store, 1, null, dir);
            try (KafkaProducer<String, byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>(checkpointsTopic, run.runId, EventJson.write(next)))
                        .get();
            }
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> given().get("/v2/models/" + run.runId)
                            .jsonPath()
                            .getList("versions", String.class)
                            .contains(next.object()));
            await().atMost(Duration.ofSeconds(30)).until(() -> answeredBy.containsKey(next.object()));
        } finally {
            going.set(false);
            client.join();
        }
        assertThat(failures).hasValue(0);
        assertThat(answeredBy).containsKeys("runs/" + run.runId + "/epoch-0000.tar", next.object());
        // The swapped-in weights are the trainer's new ones: its evaluation and the service agree again.
        List<Integer> data = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            for (byte b : run.val.pixels(i)) {
                data.add(b & 0xff);
            }
        }
        List<Float> p = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "inputs",
                        List.of(Map.of(
                                "name", "input", "datatype", "UINT8", "shape", List.of(100, 28, 28, 1), "data", data))))
                .post("/v2/models/" + run.runId + "/infer")
                .jsonPath()
                .getList("outputs[0].data", Float.class);
        long hits = 0;
        for (int i = 0; i < 100; i++) {
            hits += argmax(p, i * 10, 10) == run.val.label(i) ? 1 : 0;
        }
        assertThat(hits).isEqualTo(run.evalTop1(100));
    }

    private ProducerRecord<String, byte[]> record(
            String key, String contentType, String runId, String label, byte[] value) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(inferTopic, key, value);
        r.headers().add(Topics.HEADER_CONTENT_TYPE, contentType.getBytes(StandardCharsets.UTF_8));
        if (runId != null) {
            r.headers().add("run", runId.getBytes(StandardCharsets.UTF_8));
        }
        if (label != null) {
            r.headers().add(Topics.HEADER_LABEL, label.getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static int argmax(List<Float> values, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (values.get(from + i) > values.get(from + best)) {
                best = i;
            }
        }
        return best;
    }
}
