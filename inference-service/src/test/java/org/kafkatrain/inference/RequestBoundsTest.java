package org.kafkatrain.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.contracts.security.ApiToken;
import org.kafkatrain.fixtures.TrainedRun;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.testing.LocalStackResource;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * What one inference request may ask for: a tensor of a million images is refused at once, before any image is
 * built, and the service goes on answering; shapes that cannot be images get 400 naming the problem.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class RequestBoundsTest {
    @Inject
    CheckpointStore store;

    @ConfigProperty(name = ApiToken.PROPERTY)
    String token;

    @TestHTTPResource("/")
    URL root;

    @TempDir
    static Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static String run;

    /** An untrained run's checkpoint: what it predicts does not matter here, only that it answers. */
    private synchronized String run() throws Exception {
        if (run == null) {
            TrainedRun untrained =
                    new TrainedRun("bounds-" + UUID.randomUUID().toString().substring(0, 8));
            untrained.store(store, 0, null, dir);
            run = untrained.runId;
        }
        return run;
    }

    @Test
    void aMillionImageTensorIsRefusedAtOnceAndPredictionsGoOn() throws Exception {
        String run = run();
        byte[] png = ImageFiles.encode(new byte[28 * 28], 28, 28, 1, "png");
        given().contentType("image/png")
                .body(png)
                .post("/predict/" + run)
                .then()
                .statusCode(200);

        // 2 MB of JSON: a million 1x1 gray images; timed with a plain client, which adds little of its own
        String million = "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"UINT8\", \"shape\": [1000000, 1, 1, 1],"
                + " \"data\": [" + "0,".repeat(999_999) + "0]}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + "v2/models/" + run + "/infer"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(million))
                .build();
        long t0 = System.nanoTime();
        HttpResponse<String> refused = http.send(request, HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(refused.body()).contains("1000000 images", "inference.limits.max-images-per-request");
        assertThat(seconds).as("seconds to refuse").isLessThan(1);

        long t1 = System.nanoTime();
        given().contentType("image/png")
                .body(png)
                .post("/predict/" + run)
                .then()
                .statusCode(200);
        assertThat((System.nanoTime() - t1) / 1e9)
                .as("seconds for the next prediction")
                .isLessThan(5);
    }

    @Test
    void shapesThatCannotBeImagesGetABadRequestNamingTheProblem() throws Exception {
        String run = run();
        assertRefused(run, uint8(Arrays.asList(null, 28L, 28L, 1L), 784), 400, "null dimension");
        assertRefused(run, uint8(List.of(3_000_000_000L, 1L, 1L, 1L), 1), 413, "3000000000 images");
        assertRefused(run, uint8(List.of(1L, -28L, 28L, 1L), 784), 400, "positive");
        assertRefused(run, uint8(List.of(1L, 1L << 31, 1L << 31, 1L), 1), 400, "px per side");
        assertRefused(run, uint8(List.of(2L, 28L, 28L, 1L), 3), 400, "needs 1568 values, got 3");
        assertRefused(run, uint8(List.of(1L, 28L, 28L, 2L), 1568), 400, "C 1 or 3");
        String shapeless = "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"UINT8\", \"data\": [0]}]}";
        assertRefused(run, shapeless, 400, "shape");
        assertRefused(run, "{\"inputs\": [null]}", 400, "input tensor");
        assertRefused(run, bytes(List.of(2L), 1), 400, "needs 2 images, got 1");
        assertRefused(run, bytes(Arrays.asList((Long) null), 1), 400, "null dimension");
        assertRefused(run, bytes(List.of(1000L), 1000), 413, "1000 images");
    }

    @Test
    void encodedImagesBeyondTheRequestsPixelBudgetAreRefused() throws Exception {
        // five blank 1024x1024 PNGs: a few kilobytes that decode to 5 Mi pixels, over the 4 Mi of a request
        String blank =
                Base64.getEncoder().encodeToString(ImageFiles.encode(new byte[1024 * 1024], 1024, 1024, 1, "png"));
        String five = "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"BYTES\", \"shape\": [5], \"data\": ["
                + String.join(",", Collections.nCopies(5, "\"" + blank + "\"")) + "]}]}";
        assertRefused(run(), five, 413, "inference.limits.max-pixels-per-record");
    }

    private static void assertRefused(String run, String body, int status, String reason) {
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/v2/models/" + run + "/infer")
                .then()
                .statusCode(status)
                .body("error", containsString(reason));
    }

    /** A UINT8 tensor of {@code shape} holding {@code values} zeros. */
    private static String uint8(List<Long> shape, int values) {
        return "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"UINT8\", \"shape\": " + shape + ", \"data\": ["
                + String.join(",", Collections.nCopies(values, "0")) + "]}]}";
    }

    /** A BYTES tensor of {@code shape} holding {@code values} 28x28 PNGs. */
    private static String bytes(List<Long> shape, int values) {
        String png =
                "\"" + Base64.getEncoder().encodeToString(ImageFiles.encode(new byte[784], 28, 28, 1, "png")) + "\"";
        return "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"BYTES\", \"shape\": " + shape + ", \"data\": ["
                + String.join(",", Collections.nCopies(values, png)) + "]}]}";
    }
}
