package org.kafkatrain.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kafkatrain.contracts.CheckpointEvent;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.fixtures.TrainedRun;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.store.LatestCheckpoint;
import org.kafkatrain.testing.LocalStackResource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A model is loaded only from its own run's objects, and only from one whose SHA-256 the trainer recorded: a
 * checkpoint event (anyone's who can write to the topic) cannot swap in another run's object or an unhashed one.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class CheckpointTrustTest {
    @Inject
    CheckpointStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.training-checkpoints.topic")
    String checkpointsTopic;

    @TempDir
    static Path dir;

    @Test
    void aCheckpointWithoutARecordedHashIsNotServed() throws Exception {
        TrainedRun run =
                new TrainedRun("unhashed-" + UUID.randomUUID().toString().substring(0, 8));
        CheckpointEvent stored = run.store(store, 0, null, dir);
        // the same object again, without the sha256 the trainer records beside it
        LatestCheckpoint latest = store.latest(run.runId).orElseThrow();
        store.commit(run.runId, stored.object(), file(run, 0), Map.of("epoch", "0"), latest);

        predict(run.runId).then().statusCode(503).body("error", containsString("no sha256"));
        given().get("/v2/models/" + run.runId).then().statusCode(404);
    }

    @Test
    void forgedCheckpointEventsDoNotSwapTheServedModel() throws Exception {
        TrainedRun run =
                new TrainedRun("trusted-" + UUID.randomUUID().toString().substring(0, 8));
        CheckpointEvent first = run.store(store, 0, null, dir);
        predict(run.runId).then().statusCode(200);

        // another run's object, with its true hash
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        String otherKey = CheckpointStore.runPrefix(other) + "epoch-0000.tar";
        store.commit(other, otherKey, file(run, 0), Map.of("sha256", first.sha256()), latest(other, otherKey, first));
        // an object of the run itself that nobody hashed
        String unhashedKey = CheckpointStore.runPrefix(run.runId) + "epoch-0009.tar";
        store.commit(
                run.runId,
                unhashedKey,
                file(run, 0),
                Map.of(),
                store.latest(run.runId).orElseThrow());
        List<CheckpointEvent> forged = List.of(
                forge(first, run.runId, otherKey, first.sha256()),
                forge(first, run.runId, unhashedKey, null),
                forge(
                        first,
                        run.runId,
                        CheckpointStore.runPrefix(run.runId) + "../" + other + "/epoch-0000.tar",
                        first.sha256()));
        run.train(1);
        CheckpointEvent genuine = run.store(store, 1, null, dir);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            // one key, one partition: the forged events are handled before the genuine one
            for (CheckpointEvent event : forged) {
                producer.send(new ProducerRecord<>(checkpointsTopic, run.runId, EventJson.write(event)));
            }
            producer.send(new ProducerRecord<>(checkpointsTopic, run.runId, EventJson.write(genuine)))
                    .get();
        }

        // forged events announce a later step than the genuine one: one taken would have kept it out
        await().atMost(Duration.ofMinutes(2))
                .until(() -> !given().get("/v2/models/" + run.runId)
                        .jsonPath()
                        .getList("versions", String.class)
                        .contains(first.object()));
        assertThat(given().get("/v2/models/" + run.runId).jsonPath().getList("versions", String.class))
                .containsExactly(genuine.object());
    }

    private static Response predict(String runId) {
        return given().contentType("image/png")
                .body(ImageFiles.encode(new byte[784], 28, 28, 1, "png"))
                .post("/predict/" + runId);
    }

    private static Path file(TrainedRun run, int epoch) {
        return dir.resolve(run.runId + "-" + epoch + ".tar");
    }

    /** {@code template} renamed to name {@code object} of {@code runId}, announcing a step far ahead. */
    private static CheckpointEvent forge(CheckpointEvent template, String runId, String object, String sha256) {
        return new CheckpointEvent(
                template.v(),
                runId,
                template.bucket(),
                object,
                99,
                true,
                1_000_000,
                template.loss(),
                template.acc1(),
                template.acc5(),
                object,
                template.classes(),
                template.height(),
                template.width(),
                template.channels(),
                sha256,
                template.bytes(),
                System.currentTimeMillis());
    }

    private static LatestCheckpoint latest(String runId, String key, CheckpointEvent like) {
        return new LatestCheckpoint(
                1,
                runId,
                key,
                0,
                true,
                like.step(),
                1.0,
                null,
                null,
                key,
                null,
                System.currentTimeMillis(),
                like.sha256());
    }
}
