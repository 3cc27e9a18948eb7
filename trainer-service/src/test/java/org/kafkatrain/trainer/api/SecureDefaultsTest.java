package org.kafkatrain.trainer.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.kafkatrain.fixtures.TrainingData;
import org.kafkatrain.testing.LocalStackResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * What a web page, a DNS-rebinding page or a caller probing the host can do to a trainer with its defaults: nothing.
 * Each case was tried on a running demo before the fix, and answered 200 or leaked (issue 31).
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
@TestProfile(SecureDefaultsTest.SmallQueue.class)
class SecureDefaultsTest {
    static final Path WEIGHTS_DIR;

    static {
        try {
            WEIGHTS_DIR = Files.createTempDirectory("init-weights");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "trainer.max-queued-runs", "1",
                    "trainer.init-weights-dir", WEIGHTS_DIR.toString(),
                    "trainer.max-init-weights-bytes", "1024");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void initWeightsTellsNothingOfTheHostsFiles() throws Exception {
        String shadow = refusal("file:/etc/shadow");
        String missing = refusal("file:/etc/nonexistent-xyz");
        String escaping = refusal("file:../../etc/passwd");
        Path fifo = WEIGHTS_DIR.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        Path large = Files.write(WEIGHTS_DIR.resolve("large.pt"), new byte[2048]);
        Path link = Files.createSymbolicLink(WEIGHTS_DIR.resolve("link.pt"), Path.of("/etc/hostname"));
        // one answer for a file that exists, one that does not, and one that may not be read: no oracle
        assertThat(shadow.replace("/etc/shadow", "P"))
                .isEqualTo(missing.replace("/etc/nonexistent-xyz", "P"))
                .isEqualTo(escaping.replace("../../etc/passwd", "P"))
                .isEqualTo(refusal("file:" + fifo).replace(fifo.toString(), "P"))
                .isEqualTo(refusal("file:" + large).replace(large.toString(), "P"))
                .isEqualTo(refusal("file:" + link).replace(link.toString(), "P"))
                .contains("trainer.init-weights-dir");
    }

    private static String refusal(String initWeights) {
        return given().contentType(ContentType.JSON)
                .body(Map.of(
                        "runId",
                        "probe-" + UUID.randomUUID().toString().substring(0, 8),
                        "dataset",
                        "d",
                        "initWeights",
                        initWeights))
                .post("/runs")
                .then()
                .statusCode(400)
                .extract()
                .path("error");
    }

    @Test
    void aForeignHostIsRefusedWhateverItAsks() {
        given().header("Host", "attacker.example")
                .get("/runs")
                .then()
                .statusCode(403)
                .body("error", containsString("kafka-train.allowed-hosts"));
        given().header("Host", "attacker.example:8081")
                .contentType(ContentType.JSON)
                .body(Map.of("runId", "rebound", "dataset", "d"))
                .post("/runs")
                .then()
                .statusCode(403);
        given().get("/runs/rebound").then().statusCode(404);
        // probes address a pod by its IP: health answers any name
        given().header("Host", "10.1.2.3:8081").get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aClientThatUpgradesToHttp2IsKnownByItsAuthority() throws Exception {
        // Java's HttpClient asks for h2c; the upgraded request names its host in :authority, with no Host header
        var http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2)
                .build();
        for (int i = 0; i < 2; i++) {
            var response = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                    "http://localhost:" + io.restassured.RestAssured.port + "/runs"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    @Test
    void aPageOfAnotherOriginCannotStopARun() {
        // what fetch(url, {method: 'POST', mode: 'no-cors'}) sends: no preflight, text/plain, no Authorization
        given().header("Origin", "http://attacker.example")
                .header("Authorization", "")
                .contentType("text/plain")
                .body("x")
                .post("/runs/any/stop")
                .then()
                .statusCode(403)
                .body("error", containsString("http://attacker.example"));
        // even with the token: a browser page never holds it, but a token leaked to a page must not act from there
        given().header("Origin", "null").post("/runs/any/stop").then().statusCode(403);
        given().header("Origin", "http://127.0.0.1:8082")
                .post("/runs/any/stop")
                .then()
                .statusCode(404);
    }

    @Test
    void numbersOutOfRangeAre400sNamingTheSetting() {
        given().contentType(ContentType.JSON)
                .body("{\"runId\": \"inf-lr\", \"dataset\": \"d\", \"lr\": 1e999}")
                .post("/runs")
                .then()
                .statusCode(400)
                .body("error", is("optimization.lr must be a number in (0.0, 10.0]: Infinity"));
        given().contentType(ContentType.JSON)
                .body(Map.of("runId", "bad-parent", "fromRun", "../other", "dataset", "d"))
                .post("/runs")
                .then()
                .statusCode(400)
                .body("error", containsString("runId must match"));
    }

    @Test
    void runsBeyondTheQueueAreRefusedWith429() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        TrainingData.publish(bootstrap, "q-" + id, "q-" + id + ".train", "q-" + id + ".val", 3, 1, true);
        String[] runs = {"q1-" + id, "q2-" + id, "q3-" + id};
        for (int i = 0; i < 2; i++) {
            start(runs[i]).then().statusCode(201);
        }
        start(runs[2])
                .then()
                .statusCode(429)
                .header("Retry-After", "60")
                .body("error", containsString("trainer.max-queued-runs"));
        given().post("/runs/" + runs[1] + "/stop").then().statusCode(200);
        given().post("/runs/" + runs[0] + "/stop").then().statusCode(200);
    }

    private static io.restassured.response.Response start(String run) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("runId", run, "dataset", "q-" + run.substring(3), "epochs", 50, "batchSize", 8))
                .post("/runs");
    }
}
