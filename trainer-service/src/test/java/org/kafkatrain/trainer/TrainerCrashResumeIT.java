package org.kafkatrain.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kafkatrain.engine.TensorData;
import org.kafkatrain.engine.TorchCheckpointFile;
import org.kafkatrain.testing.LocalStack;
import org.kafkatrain.testing.LocalStackExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The packaged trainer-service in its own process, killed with SIGKILL in the middle of an epoch and started again:
 * the run resumes from its last checkpoint, trains exactly the epoch's samples, and (CPU, same seed) ends with
 * weights and Adam moments bit-identical to an uninterrupted run on the same data.
 */
@ExtendWith(LocalStackExtension.class)
class TrainerCrashResumeIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @Test
    void killedRunResumesAndEndsWithTheUninterruptedRunsWeights() throws Exception {
        LocalStack stack = LocalStack.ensureRunning();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String dataset = "fmnist-resume-" + id;
        String trainTopic = "resume." + id + ".train";
        String valTopic = "resume." + id + ".val";
        TrainingData.publish(stack.kafkaBootstrapServers(), dataset, trainTopic, valTopic, 20, 5);
        Map<String, Object> config = new HashMap<>(Map.of(
                "dataset",
                dataset,
                "trainTopic",
                trainTopic,
                "valTopic",
                valTopic,
                "epochs",
                2,
                "batchSize",
                16,
                "checkpointEvery",
                5,
                "seed",
                7));

        Process trainer = startTrainer(stack);
        try {
            config.put("runId", "straight-" + id);
            start(config);
            JsonPath straight = awaitEnd("straight-" + id);
            assertThat(straight.getString("state")).isEqualTo("FINISHED");

            config.put("runId", "killed-" + id);
            start(config);
            // Kill once a mid-epoch checkpoint exists and training has moved past it.
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        JsonPath s = status("killed-" + id);
                        return s.getString("lastCheckpoint") != null
                                && s.getString("lastCheckpoint").contains("-step-")
                                && s.getLong("step") >= 7;
                    });
            long stepAtKill = status("killed-" + id).getLong("step");
            trainer.destroyForcibly().waitFor();
            System.out.printf("[trainer] killed -9 at step %d%n", stepAtKill);

            trainer = startTrainer(stack);
            start(config);
            JsonPath resumed = awaitEnd("killed-" + id);
            assertThat(resumed.getString("state")).isEqualTo("FINISHED");
            assertThat(resumed.getLong("step")).isEqualTo(straight.getLong("step"));
        } finally {
            trainer.destroyForcibly().waitFor();
        }

        MinioClient s3 = MinioClient.builder()
                .endpoint(stack.s3Endpoint())
                .credentials(stack.s3AccessKey(), stack.s3SecretKey())
                .build();
        Map<String, Object> a = checkpoint(s3, "straight-" + id);
        Map<String, Object> b = checkpoint(s3, "killed-" + id);
        assertThat(b.get("epoch_samples")).isEqualTo(a.get("epoch_samples")).isEqualTo(200L);
        assertThat(b.get("step")).isEqualTo(a.get("step"));
        assertSameTensors(model(a), model(b));
        assertSameTensors(moments(a), moments(b));
        System.out.printf(
                "[trainer] resumed run equals uninterrupted run: %d model tensors and Adam moments bit-identical%n",
                model(a).size());
    }

    private static void start(Map<String, Object> config) {
        given().contentType(ContentType.JSON).body(config).post("/runs").then().statusCode(201);
    }

    private static JsonPath status(String run) {
        return given().get("/runs/" + run).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitEnd(String run) {
        await().atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> !List.of("PENDING", "RUNNING", "STOPPING")
                        .contains(status(run).getString("state")));
        return status(run);
    }

    private static Process startTrainer(LocalStack stack) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("trainer-it-", ".log");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx3g",
                        "-Dquarkus.http.port=" + port,
                        "-jar",
                        JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
        pb.environment().put("S3_ENDPOINT", stack.s3Endpoint());
        pb.environment().put("S3_ACCESS_KEY", stack.s3AccessKey());
        pb.environment().put("S3_SECRET_KEY", stack.s3SecretKey());
        Process p = pb.start();
        RestAssured.port = port;
        System.out.printf("[trainer] trainer-service pid %d on port %d, log %s%n", p.pid(), port, log);
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        return p;
    }

    private static Map<String, Object> checkpoint(MinioClient s3, String run) throws Exception {
        try (InputStream in = s3.getObject(GetObjectArgs.builder()
                .bucket("checkpoints")
                .object("runs/" + run + "/epoch-0001.tar")
                .build())) {
            return TorchCheckpointFile.read(in);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, TensorData> model(Map<String, Object> checkpoint) {
        return (Map<String, TensorData>) checkpoint.get("model");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, TensorData> moments(Map<String, Object> checkpoint) {
        Map<String, TensorData> out = new HashMap<>();
        Map<Object, Object> state =
                (Map<Object, Object>) ((Map<String, Object>) checkpoint.get("optimizer")).get("state");
        state.forEach((index, s) -> {
            Map<String, Object> entry = (Map<String, Object>) s;
            out.put(index + ".exp_avg", (TensorData) entry.get("exp_avg"));
            out.put(index + ".exp_avg_sq", (TensorData) entry.get("exp_avg_sq"));
        });
        return out;
    }

    private static void assertSameTensors(Map<String, TensorData> expected, Map<String, TensorData> actual)
            throws IOException {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String name : expected.keySet()) {
            assertThat(actual.get(name).data())
                    .as(name)
                    .isEqualTo(expected.get(name).data());
        }
    }
}
