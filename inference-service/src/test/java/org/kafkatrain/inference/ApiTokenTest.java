package org.kafkatrain.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.testing.LocalStackResource;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * Every POST of the service (predictions and loading or unloading a model cost CPU, GPU and memory) needs the API
 * token, which the tests' stack configures; reads stay open.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class ApiTokenTest {
    private static final List<String> POSTS = List.of(
            "/predict/some-run",
            "/v2/models/some-run/infer",
            "/v2/repository/models/some-run/load",
            "/v2/repository/models/some-run/unload");

    @TestHTTPResource("/")
    URL root;

    /** Plain HTTP/1.1 requests: RestAssured's carry the stack's token. */
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void postsWithoutTheTokenAreRefusedBeforeAnythingIsRead() throws Exception {
        byte[] png = ImageFiles.encode(new byte[784], 28, 28, 1, "png");
        for (String path : POSTS) {
            assertThat(post(path, png, null).statusCode())
                    .as("POST %s without a token", path)
                    .isEqualTo(401);
            assertThat(post(path, png, "Bearer not-the-token").statusCode())
                    .as("POST %s with a wrong token", path)
                    .isEqualTo(401);
        }
        HttpResponse<String> read = http.send(
                HttpRequest.newBuilder(URI.create(root + "v2/models/some-run")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as("a read needs no token").isEqualTo(404);
    }

    @Test
    void theTokenLetsPostsThrough() {
        // the stack's token on every RestAssured request: past the filter, to the run that is not there
        byte[] png = ImageFiles.encode(new byte[784], 28, 28, 1, "png");
        given().contentType("image/png")
                .body(png)
                .post("/predict/some-run")
                .then()
                .statusCode(404);
        given().post("/v2/repository/models/some-run/load").then().statusCode(404);
        given().post("/v2/repository/models/some-run/unload").then().statusCode(404);
    }

    private HttpResponse<String> post(String path, byte[] body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + path.substring(1)))
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
