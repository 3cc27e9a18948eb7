package org.kafkatrain.ingest.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.ingest.TopicReader;
import org.kafkatrain.testing.LocalStackResource;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** POST /images: valid uploads land on the topic at the dataset's resolution; invalid ones get a 4xx and publish nothing. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class UploadResourceTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "ingest.upload.train-topic")
    String trainTopic;

    private String dataset;
    private int before;

    @BeforeEach
    void manifest() throws Exception {
        dataset = "upload-" + UUID.randomUUID().toString().substring(0, 8);
        DatasetManifest manifest = new DatasetManifest(
                DatasetManifest.VERSION, dataset, List.of("cat", "dog"), 16, 16, 3, "test", Map.of(), 0L, Map.of());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(Topics.DATASETS, dataset, EventJson.write(manifest)))
                    .get();
        }
        before = countOf(dataset);
    }

    @Test
    void validUploadsArePublishedAtTheDatasetsShape() throws Exception {
        byte[] png = image(40, 30, 1, "png");
        given().contentType("image/png")
                .body(png)
                .queryParam("dataset", dataset)
                .queryParam("label", "dog")
                .post("/images")
                .then()
                .statusCode(202)
                .body("label", is(1))
                .body("class", is("dog"));
        given().multiPart("file", "x.jpg", image(20, 20, 3, "jpeg"), "image/jpeg")
                .multiPart("label", "0")
                .multiPart("dataset", dataset)
                .post("/images")
                .then()
                .statusCode(202)
                .body("label", is(0));

        List<Sample> mine = TopicReader.samples(bootstrap, trainTopic).stream()
                .filter(s -> s.id().startsWith(dataset + "/"))
                .toList();
        assertThat(mine)
                .hasSize(2)
                .allSatisfy(s -> assertThat(new int[] {s.height(), s.width(), s.channels()})
                        .containsExactly(16, 16, 3));
        assertThat(mine).extracting(Sample::label).containsExactly(1, 0);
    }

    @Test
    void invalidUploadsAreRejectedWithAReasonAndPublishNothing() throws Exception {
        byte[] png = image(16, 16, 3, "png");
        given().contentType("image/png")
                .body(png)
                .queryParam("dataset", dataset)
                .queryParam("label", "horse")
                .post("/images")
                .then()
                .statusCode(400)
                .body("error", containsString("unknown class 'horse'"));
        given().contentType("image/png")
                .body(png)
                .queryParam("dataset", dataset)
                .queryParam("label", "7")
                .post("/images")
                .then()
                .statusCode(400)
                .body("error", containsString("unknown class"));
        given().contentType("image/png")
                .body(png)
                .queryParam("dataset", dataset)
                .post("/images")
                .then()
                .statusCode(400)
                .body("error", containsString("'label' is required"));
        given().contentType("image/png")
                .body("definitely not a png".getBytes())
                .queryParam("dataset", dataset)
                .queryParam("label", "cat")
                .post("/images")
                .then()
                .statusCode(400)
                .body("error", containsString("CORRUPT_IMAGE"));
        given().contentType("image/png")
                .body(image(1100, 20, 1, "png"))
                .queryParam("dataset", dataset)
                .queryParam("label", "cat")
                .post("/images")
                .then()
                .statusCode(413)
                .body("error", containsString("IMAGE_TOO_LARGE"));
        given().contentType("image/png")
                .body(png)
                .queryParam("dataset", "no-such-" + dataset)
                .queryParam("label", "cat")
                .post("/images")
                .then()
                .statusCode(404)
                .body("error", containsString("ingest it first"));
        given().contentType("text/plain")
                .body("hello")
                .queryParam("dataset", dataset)
                .queryParam("label", "cat")
                .post("/images")
                .then()
                .statusCode(415);

        // what is declared is what is decoded: a BMP or a JPEG sent as image/png is not read by another codec
        given().contentType("image/png")
                .body(bmp(16, 16))
                .queryParam("dataset", dataset)
                .queryParam("label", "cat")
                .post("/images")
                .then()
                .statusCode(400)
                .body("error", containsString("a bmp image where png was declared"));
        given().contentType("image/png")
                .body(image(16, 16, 3, "jpeg"))
                .queryParam("dataset", dataset)
                .queryParam("label", "cat")
                .post("/images")
                .then()
                .statusCode(400)
                .body("error", containsString("where png was declared"));
        given().multiPart("file", "x.bmp", bmp(16, 16), "image/bmp")
                .multiPart("label", "0")
                .multiPart("dataset", dataset)
                .post("/images")
                .then()
                .statusCode(415);
        given().contentType("image/png")
                .body(png)
                .queryParam("dataset", "<img src=x onerror=alert(1)>")
                .queryParam("label", "cat")
                .post("/images")
                .then()
                .statusCode(400)
                .body("error", containsString("no dataset is named so"));
        // a page of another origin posting a form (no preflight) adds nothing to a training set
        given().header("Origin", "http://attacker.example")
                .multiPart("file", "x.jpg", image(20, 20, 3, "jpeg"), "image/jpeg")
                .multiPart("label", "0")
                .multiPart("dataset", dataset)
                .post("/images")
                .then()
                .statusCode(403);

        assertThat(countOf(dataset)).isEqualTo(before);
    }

    private static byte[] bmp(int h, int w) throws java.io.IOException {
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(
                new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_3BYTE_BGR), "bmp", out);
        return out.toByteArray();
    }

    private int countOf(String prefix) throws Exception {
        return (int) TopicReader.samples(bootstrap, trainTopic).stream()
                .filter(s -> s.id().startsWith(prefix + "/"))
                .count();
    }

    private static byte[] image(int h, int w, int c, String format) {
        byte[] pixels = new byte[h * w * c];
        new Random(h * 31L + w).nextBytes(pixels);
        return ImageFiles.encode(pixels, h, w, c, format);
    }
}
