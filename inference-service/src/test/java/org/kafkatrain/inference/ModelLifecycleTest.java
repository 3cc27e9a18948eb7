package org.kafkatrain.inference;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.fixtures.TrainedRun;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.testing.LocalStackResource;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Which models are loaded: reads never load one; a POST does (an inference request, or the model repository's
 * load); one model more than {@code inference.max-loaded-models} unloads the least recently used; the repository's
 * unload frees one on request.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
@TestProfile(ModelLifecycleTest.OneModel.class)
class ModelLifecycleTest {
    public static class OneModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("inference.max-loaded-models", "1");
        }
    }

    @Inject
    CheckpointStore store;

    @TempDir
    static Path dir;

    @Test
    void readsNeverLoadAndTheLeastRecentlyUsedModelMakesRoom() throws Exception {
        String first = stored("first");
        String second = stored("second");

        // a read answers what is known, and leaves it so
        given().get("/v2/models/" + first).then().statusCode(404).body("error", containsString("not loaded"));
        given().get("/v2/models/" + first).then().statusCode(404);
        given().get("/v2/models/" + first + "/ready").then().statusCode(503).body("ready", is(false));

        given().post("/v2/repository/models/" + first + "/load")
                .then()
                .statusCode(200)
                .body("name", is(first))
                .body("versions", contains("runs/" + first + "/epoch-0000.tar"));
        given().get("/v2/models/" + first).then().statusCode(200);

        // one model at most: the second unloads the first
        given().contentType("image/png")
                .body(ImageFiles.encode(new byte[784], 28, 28, 1, "png"))
                .post("/predict/" + second)
                .then()
                .statusCode(200);
        given().get("/v2/models/" + second + "/ready").then().statusCode(200);
        given().get("/v2/models/" + first).then().statusCode(404);
        given().get("/v2/models/" + first + "/ready").then().statusCode(503);

        given().post("/v2/repository/models/" + second + "/unload")
                .then()
                .statusCode(200)
                .body("name", is(second))
                .body("ready", is(false));
        given().get("/v2/models/" + second).then().statusCode(404);
        given().post("/v2/repository/models/" + second + "/unload").then().statusCode(404);

        given().post("/v2/repository/models/no-such-run/load").then().statusCode(404);
        given().post("/v2/repository/models/-bad/load").then().statusCode(400);
    }

    private String stored(String name) throws Exception {
        TrainedRun run =
                new TrainedRun(name + "-" + UUID.randomUUID().toString().substring(0, 8));
        run.store(store, 0, null, dir);
        return run.runId;
    }
}
