package org.kafkatrain.metrics.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.metrics.StepEvents;
import org.kafkatrain.testing.LocalStackResource;
import org.kafkatrain.testing.TopicContents;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The app on the real broker: step events in, metrics out on training.metrics, the REST API and the live SSE feed. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class MetricsApiTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "metrics.steps-topic")
    String stepsTopic;

    @ConfigProperty(name = "metrics.metrics-topic")
    String metricsTopic;

    @TestHTTPResource("/")
    URL base;

    @Test
    void stepEventsBecomeMetricsOnTheTopicAndInTheApi() {
        String run = "api-" + UUID.randomUUID();
        StepEvents.send(bootstrap, stepsTopic, StepEvents.epoch(run, 0, 6, System.currentTimeMillis()));

        List<TrainingMetrics> epoch = StepEvents.read(
                bootstrap, metricsTopic, run, m -> m.kind().equals(TrainingMetrics.EPOCH), 1, Duration.ofSeconds(60));
        assertThat(epoch).singleElement().satisfies(m -> {
            assertThat(m.samples()).isEqualTo(48);
            assertThat(m.top1()).isEqualTo(50.0);
            assertThat(m.top5()).isEqualTo(87.5);
        });
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/runs").then().statusCode(200).body("$", hasItem(run)));
        // the epoch summary is read back from training.metrics on its own, maybe after the run's first metrics
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/runs/" + run + "/epochs")
                        .then()
                        .statusCode(200)
                        .body("[0].samples", org.hamcrest.Matchers.is(48)));
        given().get("/runs/" + run + "/metrics").then().statusCode(200).body("kind", hasItem("last_n"));
        given().get("/runs/nope-" + UUID.randomUUID() + "/metrics").then().statusCode(404);

        // the step history: every step, on the global step axis
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/runs/" + run + "/series?metric=loss")
                        .then()
                        .statusCode(200)
                        .body("resolution", org.hamcrest.Matchers.is(1))
                        .body("points.step", org.hamcrest.Matchers.contains(1, 2, 3, 4, 5, 6))
                        .body("points[0].value", org.hamcrest.Matchers.is(1.0f)));
        given().get("/runs/" + run + "/series?metric=top1&points=2")
                .then()
                .statusCode(200)
                .body("points.steps", org.hamcrest.Matchers.contains(3, 3))
                .body("points[0].value", org.hamcrest.Matchers.is(50.0f));
        given().get("/runs/" + run + "/trainer/config")
                .then()
                .statusCode(502)
                .body("error", org.hamcrest.Matchers.containsString("trainer-service did not answer"));
        given().get("/runs/" + run + "/series?metric=nope")
                .then()
                .statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("unknown metric"));
    }

    @Test
    void readyOnlyWithTheStreamRunningAndThenTheApiAnswers() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body(
                                "checks.find { it.name == 'Kafka Streams stores queryable' }.data.state",
                                equalTo("RUNNING")));
        given().get("/runs").then().statusCode(200);
    }

    /** DNS rebinding: a page of another site whose name resolves here sends its own name as Host. */
    @Test
    void aRequestNamingAnotherHostIsRefused() {
        given().header("Host", "rebound.example:8082")
                .get("/runs")
                .then()
                .statusCode(403)
                .body("error", org.hamcrest.Matchers.containsString("kafka-train.allowed-hosts"));
        given().get("/runs").then().statusCode(200);
    }

    @Test
    void malformedStepEventsGoToTheDeadLetterTopicAndTheStreamGoesOn() throws Exception {
        String key = "garbage-" + UUID.randomUUID();
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                java.util.Map.of("bootstrap.servers", bootstrap),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(stepsTopic, key, "{\"v\":1,\"type\":"))
                    .get();
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> TopicContents.readAll(bootstrap, stepsTopic + ".dlq").stream()
                        .anyMatch(r -> key.equals(r.key())));
        // and valid events after it are still processed
        stepEventsBecomeMetricsOnTheTopicAndInTheApi();
    }

    @Test
    void stepEventsWhoseRunIdIsNoIdGoToTheDeadLetterTopicWithTheReason() {
        String run = "<img src=x onerror=alert(1)>" + UUID.randomUUID();
        StepEvents.send(bootstrap, stepsTopic, StepEvents.epoch(run, 0, 2, System.currentTimeMillis()));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(TopicContents.readAll(bootstrap, stepsTopic + ".dlq").stream()
                                .filter(r -> run.equals(r.key()))
                                .map(r -> new String(
                                        r.headers()
                                                .lastHeader(Topics.HEADER_DEAD_LETTER_REASON)
                                                .value(),
                                        StandardCharsets.UTF_8)))
                        .hasSize(3)
                        .allSatisfy(reason -> assertThat(reason).contains("runId must match")));
        given().get("/runs").then().statusCode(200).body("$", not(hasItem(run)));
    }

    @Test
    void liveStreamDeliversARunsMetricsAsServerSentEvents() throws Exception {
        String run = "sse-" + UUID.randomUUID();
        CompletableFuture<List<String>> received = CompletableFuture.supplyAsync(() -> readEvents(run, 3));
        Thread.sleep(2_000); // let the subscription start before the events
        StepEvents.send(bootstrap, stepsTopic, StepEvents.epoch(run, 0, 6, System.currentTimeMillis()));
        List<String> events = received.get(60, TimeUnit.SECONDS);
        assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e).contains("\"runId\":\"" + run + "\""));
    }

    private List<String> readEvents(String run, int count) {
        List<String> events = new ArrayList<>();
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(base, "runs/" + run + "/stream").openConnection();
            c.setRequestProperty("Accept", "text/event-stream");
            c.setReadTimeout(60_000);
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null && events.size() < count; line = in.readLine()) {
                    if (line.startsWith("data:")) {
                        events.add(line.substring(5));
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return events;
    }
}
