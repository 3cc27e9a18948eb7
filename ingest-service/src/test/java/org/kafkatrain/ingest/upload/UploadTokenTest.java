package org.kafkatrain.ingest.upload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.kafkatrain.testing.LocalStackResource;

import java.util.Map;

/** With a token configured, uploads need it; the image is neither read nor published without it. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
@TestProfile(UploadTokenTest.TokenRequired.class)
class UploadTokenTest {
    private static final String TOKEN = "upload-token";

    public static class TokenRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka-train.api-token", TOKEN);
        }
    }

    @Test
    void anUploadWithoutTheTokenIsRefused() {
        given().contentType("image/png")
                .body(new byte[] {1, 2, 3})
                .queryParam("dataset", "any")
                .queryParam("label", "0")
                .post("/images")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void theTokenLetsTheUploadThroughToValidation() {
        given().contentType("image/png")
                .header("Authorization", "Bearer " + TOKEN)
                .body(new byte[] {1, 2, 3})
                .queryParam("dataset", "no-such-dataset")
                .queryParam("label", "0")
                .post("/images")
                .then()
                .statusCode(not(401));
    }
}
