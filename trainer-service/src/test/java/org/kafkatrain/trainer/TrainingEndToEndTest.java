package org.kafkatrain.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.messages.Item;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.CheckpointEvent;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.contracts.proto.PixelEncoding;
import org.kafkatrain.fixtures.TrainingData;
import org.kafkatrain.testing.LocalStackResource;
import org.kafkatrain.testing.TopicContents;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real run through the service on the local stack: Fashion-MNIST from Kafka, ResNet-50 on CPU, step events on
 * training.steps, bad records on the dead-letter topic, checkpoints in S3.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class TrainingEndToEndTest {
    private static final int TRAIN_PER_CLASS = 100;
    private static final int VAL_PER_CLASS = 20;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "s3.endpoint")
    String s3Endpoint;

    @ConfigProperty(name = "s3.access-key")
    String accessKey;

    @ConfigProperty(name = "s3.secret-key")
    String secretKey;

    @Test
    void shortRunLearnsEmitsStepsDeadLettersBadRecordsAndCheckpoints() throws Exception {
        TrainingData.Names n = TrainingData.Names.of("e2e");
        String dataset = n.dataset();
        String trainTopic = n.trainTopic();
        String valTopic = n.valTopic();
        String run = n.run();
        TrainingData.publish(bootstrap, dataset, trainTopic, valTopic, TRAIN_PER_CLASS, VAL_PER_CLASS);
        try (KafkaProducer<String, byte[]> producer = TrainingData.producer(bootstrap)) {
            producer.send(TrainingData.record(
                    trainTopic,
                    "garbage",
                    ImageRecordCodec.BATCH_CONTENT_TYPE,
                    "not protobuf at all".getBytes(StandardCharsets.UTF_8)));
            producer.send(TrainingData.record(
                    trainTopic,
                    "bad-label",
                    ImageRecordCodec.BATCH_CONTENT_TYPE,
                    ImageRecordCodec.encodeBatch(
                            dataset,
                            List.of(new Sample("x", 42, 28, 28, 1, new byte[784])),
                            PixelEncoding.RAW_U8_HWC)));
            producer.send(TrainingData.record(
                    trainTopic,
                    "wrong-size",
                    ImageRecordCodec.BATCH_CONTENT_TYPE,
                    ImageRecordCodec.encodeBatch(
                            dataset,
                            List.of(new Sample("y", 1, 32, 32, 3, new byte[32 * 32 * 3])),
                            PixelEncoding.RAW_U8_HWC)));
            producer.send(TrainingData.record(trainTopic, "no-type", null, new byte[] {1, 2, 3}));
        }

        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "runId",
                        run,
                        "dataset",
                        dataset,
                        "trainTopic",
                        trainTopic,
                        "valTopic",
                        valTopic,
                        "epochs",
                        1,
                        "batchSize",
                        32))
                .post("/runs")
                .then()
                .statusCode(201);
        // A second run waits for the slot (trainer.max-concurrent-runs=1), and a queued run can be cancelled.
        String queued = run + "-queued";
        given().contentType(ContentType.JSON)
                .body(Map.of("runId", queued, "dataset", dataset, "epochs", 1))
                .post("/runs")
                .then()
                .statusCode(201)
                .body("state", org.hamcrest.Matchers.is("QUEUED"))
                .body("queuePosition", org.hamcrest.Matchers.is(1));
        given().contentType(ContentType.JSON)
                .body(Map.of("runId", queued, "dataset", dataset, "epochs", 1))
                .post("/runs")
                .then()
                .statusCode(409)
                .body("error", containsString("QUEUED already"));
        given().post("/runs/" + queued + "/stop")
                .then()
                .statusCode(200)
                .body("state", org.hamcrest.Matchers.is("STOPPED"))
                .body("message", containsString("cancelled"));

        await().atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> !List.of("PENDING", "RUNNING")
                        .contains(given().get("/runs/" + run)
                                .then()
                                .extract()
                                .path("state")
                                .toString()));
        var status =
                given().get("/runs/" + run).then().statusCode(200).extract().jsonPath();
        assertThat(status.getString("state")).as(status.getString("message")).isEqualTo("FINISHED");
        double top1 = status.getDouble("lastValTop1");
        System.out.printf(
                "[trainer] run %s: val top-1 %.1f%% after one epoch of %d images (chance 10%%), %d rejected%n",
                run, top1, 10 * TRAIN_PER_CLASS, status.getLong("rejected"));
        assertThat(top1).isGreaterThan(30.0);
        assertThat(status.getLong("rejected")).isEqualTo(4);

        List<TrainingStep> steps = stepsOf(run);
        List<TrainingStep> trainSteps = steps.stream()
                .filter(s -> s.split().equals("train") && !s.isEpochEnd())
                .toList();
        assertThat(trainSteps).hasSize((10 * TRAIN_PER_CLASS + 31) / 32);
        assertThat(trainSteps.stream().mapToInt(TrainingStep::samples).sum()).isEqualTo(10 * TRAIN_PER_CLASS);
        assertThat(steps)
                .filteredOn(TrainingStep::isEpochEnd)
                .extracting(TrainingStep::split, TrainingStep::samples)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("train", 10 * TRAIN_PER_CLASS),
                        org.assertj.core.groups.Tuple.tuple("val", 10 * VAL_PER_CLASS));
        double firstLoss = trainSteps.subList(0, 5).stream()
                .mapToDouble(TrainingStep::loss)
                .average()
                .orElseThrow();
        double lastLoss = trainSteps.subList(trainSteps.size() - 6, trainSteps.size() - 1).stream()
                .mapToDouble(TrainingStep::loss)
                .average()
                .orElseThrow();
        assertThat(lastLoss).as("loss falls").isLessThan(firstLoss);

        Map<String, String> reasons = deadLettersFrom(trainTopic);
        assertThat(reasons).containsOnlyKeys("garbage", "bad-label", "wrong-size", "no-type");
        assertThat(reasons.get("garbage")).startsWith("MALFORMED_ENVELOPE");
        assertThat(reasons.get("bad-label")).startsWith("LABEL_OUT_OF_RANGE");
        assertThat(reasons.get("wrong-size")).startsWith("SHAPE_MISMATCH");
        assertThat(reasons.get("no-type")).startsWith("MISSING_CONTENT_TYPE");

        MinioClient s3 = MinioClient.builder()
                .endpoint(s3Endpoint)
                .credentials(accessKey, secretKey)
                .build();
        List<String> objects = new ArrayList<>();
        for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder()
                .bucket("checkpoints")
                .prefix("runs/" + run + "/")
                .build())) {
            objects.add(r.get().objectName());
        }
        assertThat(objects)
                .containsExactlyInAnyOrder(
                        "runs/" + run + "/run.json", "runs/" + run + "/epoch-0000.tar", "runs/" + run + "/latest.json");
        StatObjectResponse stat = s3.statObject(StatObjectArgs.builder()
                .bucket("checkpoints")
                .object("runs/" + run + "/epoch-0000.tar")
                .build());
        assertThat(stat.userMetadata()).containsEntry("epoch", "0").containsKeys("step", "loss", "acc1", "acc5");
        String latest;
        try (var in = s3.getObject(GetObjectArgs.builder()
                .bucket("checkpoints")
                .object("runs/" + run + "/latest.json")
                .build())) {
            latest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(latest)
                .contains("\"object\" : \"runs/" + run + "/epoch-0000.tar\"")
                .contains("\"epochComplete\" : true");

        // The checkpoint is announced once, after latest.json, with a hash of exactly the stored bytes.
        List<CheckpointEvent> announced = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TopicContents.readAll(bootstrap, Topics.TRAINING_CHECKPOINTS)) {
            if (run.equals(r.key())) {
                announced.add(EventJson.readCheckpoint(r.value()));
            }
        }
        assertThat(announced).hasSize(1);
        CheckpointEvent event = announced.get(0);
        assertThat(event.object()).isEqualTo("runs/" + run + "/epoch-0000.tar");
        assertThat(event.epochComplete()).isTrue();
        assertThat(event.classes()).hasSize(10);
        assertThat(event.acc1()).isNotNull();
        byte[] stored;
        try (var in = s3.getObject(GetObjectArgs.builder()
                .bucket(event.bucket())
                .object(event.object())
                .build())) {
            stored = in.readAllBytes();
        }
        assertThat(event.bytes()).isEqualTo(stored.length);
        assertThat(event.sha256())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(stored)))
                .isEqualTo(stat.userMetadata().get("sha256"));
        assertThat(latest).contains("\"sha256\" : \"" + event.sha256() + "\"");
        Map<String, String> config = TopicContents.config(bootstrap, Topics.TRAINING_CHECKPOINTS);
        assertThat(config).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void stopFinishesTheStepWritesACheckpointAndTheRunResumesFromItWithItsStoredConfig() throws Exception {
        TrainingData.Names n = TrainingData.Names.of("stop");
        String dataset = n.dataset();
        String trainTopic = n.trainTopic();
        String valTopic = n.valTopic();
        String run = n.run();
        TrainingData.publish(bootstrap, dataset, trainTopic, valTopic, 20, 2);
        Map<String, Object> config = Map.of(
                "runId",
                run,
                "dataset",
                dataset,
                "trainTopic",
                trainTopic,
                "valTopic",
                valTopic,
                "epochs",
                2,
                "batchSize",
                16);
        given().contentType(ContentType.JSON).body(config).post("/runs").then().statusCode(201);
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/runs/" + run).then().extract().<Integer>path("step") >= 3);

        given().post("/runs/" + run + "/stop").then().statusCode(200);
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> "STOPPED"
                        .equals(given().get("/runs/" + run).then().extract().path("state")));
        var stopped = given().get("/runs/" + run).then().extract().jsonPath();
        long stepAtStop = stopped.getLong("step");
        assertThat(stopped.getString("lastCheckpoint"))
                .isEqualTo(String.format("runs/%s/epoch-0000-step-%08d.tar", run, stepAtStop));

        // A resumed run keeps its data and model settings: a different batch size is refused, not silently applied.
        given().contentType(ContentType.JSON)
                .body(Map.of("runId", run, "batchSize", 32))
                .post("/runs")
                .then()
                .statusCode(409)
                .body("error", containsString("batchSize 16 -> 32"));
        // The run id alone resumes it with its stored config (2 epochs), as `./kafka-train train --run-id` sends it.
        given().contentType(ContentType.JSON)
                .body(Map.of("runId", run))
                .post("/runs")
                .then()
                .statusCode(201);
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> "FINISHED"
                        .equals(given().get("/runs/" + run).then().extract().path("state")));
        List<TrainingStep> train = stepsOf(run).stream()
                .filter(s -> s.split().equals("train") && !s.isEpochEnd())
                .toList();
        assertThat(train)
                .extracting(TrainingStep::step)
                .doesNotHaveDuplicates()
                .hasSize(2 * 13); // 2 epochs of 200 samples in batches of 16
        assertThat(train.stream().mapToInt(TrainingStep::samples).sum()).isEqualTo(2 * 200);
        assertThat(given().get("/runs/" + run).then().extract().<Integer>path("epochs"))
                .isEqualTo(2);
    }

    @Test
    void continuousModeFollowsTheTopicAsNewDataArrives() throws Exception {
        TrainingData.Names n = TrainingData.Names.of("live");
        String dataset = n.dataset();
        String trainTopic = n.trainTopic();
        String valTopic = n.valTopic();
        String run = n.run();
        TrainingData.publish(bootstrap, dataset, trainTopic, valTopic, 16, 2); // 160 train images in records of 50
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "runId",
                        run,
                        "dataset",
                        dataset,
                        "trainTopic",
                        trainTopic,
                        "valTopic",
                        valTopic,
                        "mode",
                        "continuous",
                        "epochSamples",
                        150,
                        "epochs",
                        2,
                        "batchSize",
                        16))
                .post("/runs")
                .then()
                .statusCode(201);

        // Epoch 0 takes the first 150 samples (three records); epoch 1 has 10 left and waits for more.
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> stepsOf(run).stream()
                        .anyMatch(s -> s.isEpochEnd() && s.split().equals("val") && s.epoch() == 0));
        Thread.sleep(3_000);
        assertThat(given().get("/runs/" + run).then().extract().path("state").toString())
                .isEqualTo("RUNNING");
        TrainingData.publish(bootstrap, dataset, trainTopic, valTopic, 16, 0);

        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> "FINISHED"
                        .equals(given().get("/runs/" + run).then().extract().path("state")));
        assertThat(stepsOf(run))
                .filteredOn(s -> s.isEpochEnd() && s.split().equals("train"))
                .extracting(TrainingStep::samples)
                .containsExactly(150, 160);
    }

    /** Fresh names per test, so that tests never see each other's data. */
    private List<TrainingStep> stepsOf(String run) throws Exception {
        return TrainingData.steps(bootstrap, run);
    }

    private Map<String, String> deadLettersFrom(String topic) {
        Map<String, String> reasons = new java.util.HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(Topics.IMAGES_TRAIN_DLQ)) {
            var origin = r.headers().lastHeader(Topics.HEADER_ORIGIN_TOPIC);
            if (origin != null && topic.equals(new String(origin.value(), StandardCharsets.UTF_8))) {
                reasons.put(
                        r.key(),
                        new String(
                                r.headers()
                                        .lastHeader(Topics.HEADER_DEAD_LETTER_REASON)
                                        .value(),
                                StandardCharsets.UTF_8));
            }
        }
        return reasons;
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        return TopicContents.readAll(bootstrap, topic);
    }
}
