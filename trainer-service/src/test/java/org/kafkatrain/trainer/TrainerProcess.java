package org.kafkatrain.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.kafkatrain.engine.TensorData;
import org.kafkatrain.engine.TorchCheckpointFile;
import org.kafkatrain.fixtures.TrainingData;
import org.kafkatrain.testing.LocalStack;

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
 * The packaged trainer-service as its own process, driven over REST, for tests that kill it or take its servers
 * away; and the comparison of two runs' final checkpoints, tensor by tensor.
 */
final class TrainerProcess {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private TrainerProcess() {}

    /** Starts the trainer against the stack's Kafka and {@code s3Endpoint}; returns once it is ready. */
    static Process start(LocalStack stack, String s3Endpoint) throws Exception {
        int port = freePort();
        Process p = start(stack, s3Endpoint, port, Map.of());
        RestAssured.port = port;
        return p;
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A trainer on {@code port} with {@code env} besides the stack's; returns once it is ready. */
    static Process start(LocalStack stack, String s3Endpoint, int port, Map<String, String> env) throws Exception {
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
        pb.environment().put("S3_ENDPOINT", s3Endpoint);
        pb.environment().put("S3_ACCESS_KEY", stack.s3AccessKey());
        pb.environment().put("S3_SECRET_KEY", stack.s3SecretKey());
        pb.environment().put("KAFKA_TRAIN_API_TOKEN", stack.apiToken());
        pb.environment().putAll(env);
        Process p = pb.start();
        System.out.printf("[trainer] trainer-service pid %d on port %d, log %s%n", p.pid(), port, log);
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> given().port(port).get("/q/health/ready").statusCode() == 200);
        return p;
    }

    /**
     * Publishes 20 train and 5 val images per class on fresh topics and returns a run config over them: 2 epochs of
     * 200 samples in batches of 16 (13 steps an epoch), seed 7; the caller adds the run id.
     */
    static Map<String, Object> twoEpochRun(LocalStack stack, String name) throws Exception {
        String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        String trainTopic = id + ".train";
        String valTopic = id + ".val";
        TrainingData.publish(stack.kafkaBootstrapServers(), "fmnist-" + id, trainTopic, valTopic, 20, 5);
        Map<String, Object> config = new HashMap<>();
        config.put("dataset", "fmnist-" + id);
        config.put("trainTopic", trainTopic);
        config.put("valTopic", valTopic);
        config.put("epochs", 2);
        config.put("batchSize", 16);
        config.put("seed", 7);
        return config;
    }

    static void post(Map<String, Object> config) {
        authorized()
                .contentType(ContentType.JSON)
                .body(config)
                .post("/runs")
                .then()
                .statusCode(201);
    }

    /** A request carrying the token of the tests' stack, which a trainer it started requires of a POST. */
    static io.restassured.specification.RequestSpecification authorized() {
        return given().header(
                        "Authorization", "Bearer " + LocalStack.ensureRunning().apiToken());
    }

    static JsonPath status(String run) {
        return given().get("/runs/" + run).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath awaitEnd(String run) {
        await().atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> !List.of("PENDING", "RUNNING", "STOPPING")
                        .contains(status(run).getString("state")));
        return status(run);
    }

    static Map<String, Object> lastCheckpoint(LocalStack stack, String run, String object) throws Exception {
        MinioClient s3 = MinioClient.builder()
                .endpoint(stack.s3Endpoint())
                .credentials(stack.s3AccessKey(), stack.s3SecretKey())
                .build();
        try (InputStream in = s3.getObject(GetObjectArgs.builder()
                .bucket("checkpoints")
                .object("runs/" + run + "/" + object)
                .build())) {
            return TorchCheckpointFile.read(in);
        }
    }

    /** Model weights and buffers, then Adam's moments, of two checkpoints: equal bit for bit. */
    static int assertSameState(Map<String, Object> expected, Map<String, Object> actual) {
        assertSameTensors(model(expected), model(actual));
        assertSameTensors(moments(expected), moments(actual));
        return model(expected).size();
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

    private static void assertSameTensors(Map<String, TensorData> expected, Map<String, TensorData> actual) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String name : expected.keySet()) {
            assertThat(actual.get(name).data())
                    .as(name)
                    .isEqualTo(expected.get(name).data());
        }
    }
}
