package org.kafkatrain.trainer.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.kafkatrain.testing.LocalStackResource;

import java.util.Map;
import java.util.UUID;

/** With a token configured, run control needs it: without it or with a wrong one, 401 and no run starts. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
@TestProfile(ApiTokenTest.TokenRequired.class)
class ApiTokenTest {
    private static final String TOKEN = "test-token-" + UUID.randomUUID();

    public static class TokenRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka-train.api-token", TOKEN);
        }
    }

    @Test
    void startingARunWithoutTheTokenIsRefusedAndStartsNothing() {
        String runId = "token-" + UUID.randomUUID().toString().substring(0, 8);
        String config = "{\"runId\": \"" + runId + "\", \"dataset\": \"nothing-here\"}";
        given().contentType("application/json")
                .body(config)
                .post("/runs")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("error", containsString("KAFKA_TRAIN_API_TOKEN"));
        given().contentType("application/json")
                .header("Authorization", "Bearer wrong")
                .body(config)
                .post("/runs")
                .then()
                .statusCode(401);
        given().post("/runs/" + runId + "/stop").then().statusCode(401);
        // reads stay open, and show that nothing started
        given().get("/runs/" + runId).then().statusCode(404);
    }

    @Test
    void theTokenLetsTheRequestThrough() {
        // an empty config gets past the token to the validation, which refuses it
        given().contentType("application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .body("{}")
                .post("/runs")
                .then()
                .statusCode(400)
                .body("error", containsString("runId"));
        given().header("Authorization", "Bearer " + TOKEN)
                .post("/runs/no-such-run/stop")
                .then()
                .statusCode(404)
                .body("error", is("no run no-such-run in this trainer"));
    }
}
