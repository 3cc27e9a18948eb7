package org.kafkatrain.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.engine.TensorData;
import org.kafkatrain.engine.Tensors;
import org.kafkatrain.engine.TorchCheckpointFile;
import org.kafkatrain.fixtures.TrainingData;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.testing.LocalStack;
import org.kafkatrain.testing.LocalStackResource;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs that do not start from random weights: a fork of another run's checkpoint (same data from the fork point,
 * new hyperparameters), and a fine-tuning run from torchvision's ResNet-50 state dict written by Python.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class StartingPointsTest {
    /** torchvision's resnet50 (1000 classes) state dict, written by tools/make_python_pickles.py. */
    private static final Path TORCHVISION_WEIGHTS = LocalStack.projectRoot()
            .resolve("trainer-engine/src/test/resources/python-saved/resnet50-torchvision-1000.pt");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "s3.endpoint")
    String s3Endpoint;

    @ConfigProperty(name = "s3.access-key")
    String accessKey;

    @ConfigProperty(name = "s3.secret-key")
    String secretKey;

    @Inject
    CheckpointStore store;

    @Test
    void forksWithDifferentLearningRatesTrainOnTheSameDataFromTheForkPoint() throws Exception {
        TrainingData.Names n = TrainingData.Names.of("fork");
        TrainingData.publish(bootstrap, n.dataset(), n.trainTopic(), n.valTopic(), 20, 2);
        String parent = n.run();
        start(Map.of(
                "runId",
                parent,
                "dataset",
                n.dataset(),
                "trainTopic",
                n.trainTopic(),
                "valTopic",
                n.valTopic(),
                "epochs",
                1,
                "batchSize",
                16));
        awaitState(parent, "FINISHED");

        String slow = parent + "-lr-1e-4";
        String fast = parent + "-lr-3e-3";
        start(Map.of("runId", slow, "fromRun", parent, "epochs", 2, "lr", 1e-4));
        awaitState(slow, "FINISHED");
        start(Map.of("runId", fast, "fromRun", parent, "fromCheckpoint", "epoch-0000.tar", "epochs", 2, "lr", 3e-3));
        awaitState(fast, "FINISHED");

        List<TrainingStep> a = trainSteps(slow);
        List<TrainingStep> b = trainSteps(fast);
        assertThat(a).hasSize(13).allMatch(s -> s.epoch() == 1); // the fork goes on with epoch 1, at step 14
        assertThat(a.get(0).step()).isEqualTo(14);
        assertThat(a)
                .extracting(TrainingStep::sampleDigest)
                .containsExactlyElementsOf(
                        b.stream().map(TrainingStep::sampleDigest).toList());
        assertThat(a)
                .extracting(TrainingStep::step)
                .containsExactlyElementsOf(b.stream().map(TrainingStep::step).toList());
        assertThat(a.get(0).lr()).isEqualTo(1e-4);
        assertThat(b.get(0).lr()).isEqualTo(3e-3);
        assertThat(a.get(a.size() - 1).loss()).isNotEqualTo(b.get(b.size() - 1).loss());
        // Each fork trained exactly the epoch's samples, and the parent's first epoch is not trained again.
        assertThat(a.stream().mapToInt(TrainingStep::samples).sum()).isEqualTo(200);
        given().get("/runs/" + fast + "/config")
                .then()
                .statusCode(200)
                .body("data.dataset", org.hamcrest.Matchers.is(n.dataset()))
                .body("optimization.batchSize", org.hamcrest.Matchers.is(16))
                .body("start.fromCheckpoint", org.hamcrest.Matchers.is("epoch-0000.tar"));
        given().contentType(ContentType.JSON)
                .body(Map.of("runId", parent + "-x", "fromRun", "no-such-run"))
                .post("/runs")
                .then()
                .statusCode(400)
                .body("error", containsString("no-such-run"));
    }

    @Test
    void aRunStartsFromTorchvisionWeightsTrainingOnlyTheNewClassifierAtFirst() throws Exception {
        TrainingData.Names n = TrainingData.Names.of("tune");
        TrainingData.publish(bootstrap, n.dataset(), n.trainTopic(), n.valTopic(), 10, 2);
        String key = "weights/" + n.run() + "/resnet50-torchvision-1000.pt";
        MinioClient.builder()
                .endpoint(s3Endpoint)
                .credentials(accessKey, secretKey)
                .build()
                .uploadObject(UploadObjectArgs.builder()
                        .bucket(store.bucket())
                        .object(key)
                        .filename(TORCHVISION_WEIGHTS.toString())
                        .build());
        start(Map.of(
                "runId",
                n.run(),
                "dataset",
                n.dataset(),
                "trainTopic",
                n.trainTopic(),
                "valTopic",
                n.valTopic(),
                "epochs",
                1,
                "batchSize",
                16,
                "initWeights",
                key,
                "freezeEpochs",
                1));
        awaitState(n.run(), "FINISHED");
        assertThat(trainSteps(n.run())).hasSize(7);

        Map<String, Object> checkpoint;
        try (InputStream in = store.open("runs/" + n.run() + "/epoch-0000.tar")) {
            checkpoint = TorchCheckpointFile.read(in);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) checkpoint.get("model");
        List<String> names = List.copyOf(model.keySet());
        // Frozen: the backbone's weights are still torchvision's (value(i) for the i-th entry of the file) ...
        for (String name : List.of("conv1.weight", "layer3.5.conv2.weight", "layer4.2.bn3.weight")) {
            assertThat(floats(model.get(name))).as(name).containsOnly(value(names.indexOf(name)));
        }
        // ... and the new 10-class classifier was trained.
        assertThat(((TensorData) model.get("fc.weight")).shape()).containsExactly(10, 2048);
    }

    private static void start(Map<String, Object> request) {
        given().contentType(ContentType.JSON).body(request).post("/runs").then().statusCode(201);
    }

    private static void awaitState(String run, String state) {
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    String now = given().get("/runs/" + run).then().extract().path("state");
                    if ("FAILED".equals(now) && !state.equals(now)) {
                        throw new AssertionError("run " + run + " failed: "
                                + given().get("/runs/" + run).then().extract().path("message"));
                    }
                    return state.equals(now);
                });
    }

    private List<TrainingStep> trainSteps(String run) throws Exception {
        return TrainingData.steps(bootstrap, run).stream()
                .filter(s -> s.split().equals(TrainingStep.TRAIN) && !s.isEpochEnd())
                .toList();
    }

    private static float[] floats(Object tensor) {
        return Tensors.toFloats(Tensors.fromData((TensorData) tensor));
    }

    /** The value tools/make_python_pickles.py gives the i-th entry. */
    private static float value(int i) {
        return (float) (((i % 97) - 48) / 64.0);
    }
}
