package org.kafkatrain.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.DatasetRecords;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.OffsetRange;
import org.kafkatrain.contracts.SampleDigest;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.fixtures.TrainingData;
import org.kafkatrain.testing.LocalStackResource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A dataset is what its manifest pins: two datasets of one image size on the same topics, each run trains exactly its
 * own samples (the manifest's count, the digest of its ids) from {@code dataset} alone; and a run whose train records
 * are all rejected ends FAILED, naming the problem and where its dataset's records are.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class DatasetsShareATopicTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void eachRunOfASharedTopicTrainsExactlyItsDatasetsSamples() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String train = "shared-" + id + ".train";
        String val = "shared-" + id + ".val";
        // interleaved on the topics: A's records, then B's, then A's again would not be one range; here A, B, then a
        // third dataset C after them, so that A and B both have neighbours
        var a = TrainingData.publish(bootstrap, "a-" + id, train, val, 3, 1, true);
        var b = TrainingData.publish(bootstrap, "b-" + id, train, val, 2, 1, true);
        TrainingData.publish(bootstrap, "c-" + id, train, val, 1, 1, true);

        for (var dataset : List.of(Map.entry("a-" + id, a), Map.entry("b-" + id, b))) {
            String run = dataset.getKey() + "-run";
            List<String> ids = dataset.getValue().get(TrainingStep.TRAIN).ids();
            given().contentType(ContentType.JSON)
                    .body(Map.of("runId", run, "dataset", dataset.getKey(), "epochs", 1, "batchSize", 8))
                    .post("/runs")
                    .then()
                    .statusCode(201);
            JsonPath status = awaitEnd(run);
            assertThat(status.getString("state"))
                    .as(status.getString("message"))
                    .isEqualTo("FINISHED");
            assertThat(status.getLong("epochSamplesTotal")).isEqualTo(ids.size());
            assertThat(given().get("/runs/" + run + "/config")
                            .then()
                            .extract()
                            .path("data.trainTopic")
                            .toString())
                    .as("the manifest names the topics")
                    .isEqualTo(train);

            List<TrainingStep> steps = TrainingData.steps(bootstrap, run);
            List<TrainingStep> trained = steps.stream()
                    .filter(s -> s.split().equals(TrainingStep.TRAIN) && !s.isEpochEnd())
                    .toList();
            long digest = trained.stream()
                    .mapToLong(s -> SampleDigest.parse(s.sampleDigest()))
                    .sum();
            assertThat(trained.stream().mapToInt(TrainingStep::samples).sum()).isEqualTo(ids.size());
            assertThat(SampleDigest.hex(digest))
                    .as("the run trained its dataset's ids, each once")
                    .isEqualTo(SampleDigest.hex(
                            ids.stream().mapToLong(SampleDigest::of).sum()));
            assertThat(steps)
                    .filteredOn(TrainingStep::isEpochEnd)
                    .extracting(TrainingStep::split, TrainingStep::samples)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(TrainingStep.TRAIN, ids.size()),
                            org.assertj.core.groups.Tuple.tuple(
                                    TrainingStep.VAL,
                                    dataset.getValue()
                                            .get(TrainingStep.VAL)
                                            .ids()
                                            .size()));
            assertThat(status.getLong("rejected"))
                    .as("other datasets' records are not read")
                    .isZero();
        }
    }

    @Test
    void aRunWhoseRecordsAreAllRejectedFailsNamingTheProblem() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String others = "others-" + id + ".train";
        TrainingData.publish(bootstrap, "others-" + id, others, "others-" + id + ".val", 2, 1);
        // A 3-class 32x32 RGB dataset whose records are on its own topics, run on the other dataset's topic by mistake:
        // its 10-class records are refused (label first, then shape).
        DatasetManifest rgb = new DatasetManifest(
                DatasetManifest.VERSION,
                "rgb-" + id,
                List.of("x", "y", "z"),
                32,
                32,
                3,
                "test",
                Map.of(TrainingStep.TRAIN, Map.of("x", 1L)),
                0L,
                Map.of(
                        TrainingStep.TRAIN,
                        new DatasetRecords("rgb-" + id + ".train", List.of(new OffsetRange(0, 0, 1)))));
        try (var producer = TrainingData.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(Topics.DATASETS, rgb.dataset(), EventJson.write(rgb)))
                    .get();
        }
        String run = "rgb-" + id + "-run";
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "runId",
                        run,
                        "dataset",
                        rgb.dataset(),
                        "trainTopic",
                        others,
                        "valTopic",
                        "others-" + id + ".val",
                        "epochs",
                        2))
                .post("/runs")
                .then()
                .statusCode(201);
        JsonPath status = awaitEnd(run);
        assertThat(status.getString("state")).isEqualTo("FAILED");
        assertThat(status.getString("message"))
                .contains("epoch 0 trained no sample", "SHAPE_MISMATCH 1", "rgb-" + id + ".train");
    }

    private static JsonPath awaitEnd(String run) {
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> !List.of("QUEUED", "PENDING", "RUNNING", "STOPPING")
                        .contains(given().get("/runs/" + run)
                                .then()
                                .extract()
                                .path("state")
                                .toString()));
        return given().get("/runs/" + run).then().statusCode(200).extract().jsonPath();
    }
}
