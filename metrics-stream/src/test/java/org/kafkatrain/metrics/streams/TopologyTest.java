package org.kafkatrain.metrics.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.EventSerdes;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.TrainingStep;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

/**
 * The topology with explicit event times: 20 s windows hopping by 10 s with 5 s grace, last 3 steps every 2 steps.
 * Every expected number below is worked out by hand from the events sent.
 */
class TopologyTest {
    private static final MetricsSettings SETTINGS = new MetricsSettings(
            "training.steps",
            "training.metrics",
            Duration.ofSeconds(20),
            Duration.ofSeconds(10),
            Duration.ofSeconds(5),
            3,
            2,
            Duration.ofHours(1),
            4);

    private TopologyTestDriver driver;
    private TestInputTopic<String, TrainingStep> steps;
    private TestInputTopic<String, byte[]> rawSteps;
    private TestOutputTopic<String, TrainingMetrics> metrics;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-stream-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetteringDeserializationHandler.class);
        driver = new TopologyTestDriver(TopologyProducer.build(SETTINGS), props);
        steps = driver.createInputTopic(
                "training.steps",
                new StringSerializer(),
                EventSerdes.trainingStep().serializer());
        rawSteps = driver.createInputTopic(
                "training.steps", new StringSerializer(), Serdes.ByteArray().serializer());
        metrics = driver.createOutputTopic(
                "training.metrics",
                Serdes.String().deserializer(),
                EventSerdes.trainingMetrics().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void hoppingWindowsEmitOnceWhenTheyCloseWithExactSums() {
        send(step("r", 1, 0, 1_000, 10, 2.0, 2, 6));
        send(step("r", 2, 0, 9_000, 10, 1.0, 4, 8));
        send(step("r", 3, 0, 12_000, 10, 0.5, 6, 9));
        assertThat(ofKind(TrainingMetrics.WINDOW))
                .as("nothing before a window closes")
                .isEmpty();

        // Stream time 26 s >= end 20 s + grace 5 s: window [0, 20 s) closes. [-10 s, 10 s) does not exist (negative
        // start).
        send(step("r", 4, 0, 26_000, 10, 1.0, 5, 10));
        List<TrainingMetrics> first = ofKind(TrainingMetrics.WINDOW);
        assertThat(first).hasSize(1);
        TrainingMetrics w0 = first.get(0);
        assertThat(w0.windowStart()).isZero();
        assertThat(w0.windowEnd()).isEqualTo(20_000);
        assertThat(w0.steps()).isEqualTo(3);
        assertThat(w0.samples()).isEqualTo(30);
        assertThat(w0.loss()).isCloseTo((20.0 + 10.0 + 5.0) / 30, within(1e-9));
        assertThat(w0.top1()).isCloseTo(100.0 * 12 / 30, within(1e-9));
        assertThat(w0.top5()).isCloseTo(100.0 * 23 / 30, within(1e-9));
        assertThat(w0.imagesPerSec()).isCloseTo(30 / 20.0, within(1e-9));

        // Out of order but within grace: 24 s lands in [10 s, 30 s) and [20 s, 40 s). 8 s is too late for [0, 20 s).
        send(step("r", 5, 0, 24_000, 10, 3.0, 1, 2));
        send(step("r", 6, 0, 8_000, 10, 9.0, 0, 0));
        send(step("r", 7, 0, 36_000, 10, 1.0, 5, 5)); // stream time 36 s closes [10 s, 30 s) (end 30 s + 5 s)
        List<TrainingMetrics> second = ofKind(TrainingMetrics.WINDOW);
        assertThat(second).hasSize(1);
        TrainingMetrics w1 = second.get(0);
        assertThat(w1.windowStart()).isEqualTo(10_000);
        assertThat(w1.steps()).as("12 s, 24 s and 26 s").isEqualTo(3);
        assertThat(w1.loss()).isCloseTo((5.0 + 30.0 + 10.0) / 30, within(1e-9));
        assertThat(w1.top1()).isCloseTo(100.0 * (6 + 1 + 5) / 30, within(1e-9));
    }

    @Test
    void lastNStepsAreEmittedEveryFewSteps() {
        for (int i = 1; i <= 5; i++) {
            send(step("r", i, 0, i * 1_000L, 10, i, i, 10));
        }
        List<TrainingMetrics> lastN = ofKind(TrainingMetrics.LAST_N);
        assertThat(lastN).extracting(TrainingMetrics::steps).containsExactly(2L, 3L);
        TrainingMetrics m = lastN.get(1); // steps 2, 3, 4
        assertThat(m.samples()).isEqualTo(30);
        assertThat(m.loss()).isCloseTo((20.0 + 30 + 40) / 30, within(1e-9));
        assertThat(m.top1()).isCloseTo(100.0 * 9 / 30, within(1e-9));
        assertThat(m.top5()).isEqualTo(100.0);
        assertThat(m.windowStart()).isEqualTo(2_000);
        assertThat(m.windowEnd()).isEqualTo(4_000);
        assertThat(m.imagesPerSec()).isCloseTo(30 / 3.0, within(1e-9)); // 3 steps 1 s apart cover 3 s
    }

    @Test
    void epochSummaryWaitsForItsStepsAndIgnoresDuplicatesAndLateSteps() {
        long late = StreamCounters.LATE.get();
        long duplicates = StreamCounters.DUPLICATES.get();
        send(step("r", 1, 0, 1_000, 16, 2.0, 4, 10));
        send(step("r", 1, 0, 1_000, 16, 2.0, 4, 10)); // the same step again (e.g. re-emitted after a resume)
        send(epochEnd("r", TrainingStep.TRAIN, 0, 2, 2_500, 32));
        assertThat(ofKind(TrainingMetrics.EPOCH)).as("16 of 32 samples seen").isEmpty();

        send(step("r", 2, 0, 2_000, 16, 1.0, 8, 14)); // arrives after its epoch_end
        List<TrainingMetrics> epoch = ofKind(TrainingMetrics.EPOCH);
        assertThat(epoch).hasSize(1);
        assertThat(epoch.get(0).samples()).isEqualTo(32);
        assertThat(epoch.get(0).steps()).isEqualTo(2);
        assertThat(epoch.get(0).loss()).isCloseTo(1.5, within(1e-9));
        assertThat(epoch.get(0).top1()).isCloseTo(100.0 * 12 / 32, within(1e-9));
        assertThat(epoch.get(0).top5()).isCloseTo(100.0 * 24 / 32, within(1e-9));
        assertThat(StreamCounters.DUPLICATES.get() - duplicates).isEqualTo(1);

        send(step("r", 3, 0, 2_200, 16, 1.0, 8, 14)); // a step for the summarized epoch: late
        send(epochEnd("r", TrainingStep.TRAIN, 0, 2, 2_500, 32)); // duplicate epoch end
        assertThat(ofKind(TrainingMetrics.EPOCH)).isEmpty();
        assertThat(StreamCounters.LATE.get() - late).isEqualTo(1);
    }

    @Test
    void valEpochsAreSummarizedPerRun() {
        send(new TrainingStep(
                1, TrainingStep.STEP, "a", TrainingStep.VAL, 3, 40, 0, 50, 0.4, 45, 50, 1e-3, 100, 0, 5_000, null));
        send(new TrainingStep(
                1, TrainingStep.STEP, "b", TrainingStep.VAL, 3, 40, 0, 50, 0.9, 10, 30, 1e-3, 100, 0, 5_000, null));
        send(epochEnd("a", TrainingStep.VAL, 3, 40, 5_100, 50));
        List<TrainingMetrics> epoch = ofKind(TrainingMetrics.EPOCH);
        assertThat(epoch).singleElement().satisfies(m -> {
            assertThat(m.runId()).isEqualTo("a");
            assertThat(m.split()).isEqualTo(TrainingStep.VAL);
            assertThat(m.epoch()).isEqualTo(3);
            assertThat(m.top1()).isCloseTo(90.0, within(1e-9));
        });
    }

    @Test
    void malformedAndInvalidEventsAreCountedAndSkipped() {
        long malformed = StreamCounters.MALFORMED.get();
        long invalid = StreamCounters.INVALID.get();
        rawSteps.pipeInput("r", "{not json".getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(1_000));
        rawSteps.pipeInput("r", "{\"v\":9}".getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(1_000));
        rawSteps.pipeInput("r", null, Instant.ofEpochMilli(1_000)); // a tombstone
        send(step("", 1, 0, 1_000, 10, 1.0, 1, 1)); // no run id
        send(new TrainingStep(1, "nonsense", "r", TrainingStep.TRAIN, 0, 1, 0, 10, 1.0, 1, 1, 1e-3, 1, 0, 1_000, null));
        // The stream thread keeps going: a valid pair of steps still yields its last-N metric.
        send(step("r", 1, 0, 2_000, 10, 1.0, 1, 1));
        send(step("r", 2, 0, 3_000, 10, 1.0, 1, 1));
        assertThat(ofKind(TrainingMetrics.LAST_N)).hasSize(1);
        assertThat(StreamCounters.MALFORMED.get() - malformed).isEqualTo(2);
        assertThat(StreamCounters.INVALID.get() - invalid).isEqualTo(3);
    }

    @Test
    void eventsWhoseRunIdIsNoIdAreRefused() {
        long invalid = StreamCounters.INVALID.get();
        // each would become a store key (a '|' splits keys), a path segment or the dashboard's markup
        List<String> hostile = List.of("<img src=x onerror=alert(1)>", "a|train", "../../runs", "x".repeat(65));
        for (String run : hostile) {
            send(step(run, 1, 0, 1_000, 10, 1.0, 1, 1));
            send(step(run, 2, 0, 2_000, 10, 1.0, 1, 1));
        }
        assertThat(metrics.readValuesToList()).as("no metrics for any of them").isEmpty();
        assertThat(StreamCounters.INVALID.get() - invalid).isEqualTo(2L * hostile.size());
    }

    private void send(TrainingStep step) {
        steps.pipeInput(new TestRecord<>(step.runId(), step, Instant.ofEpochMilli(step.timestamp())));
    }

    private List<TrainingMetrics> ofKind(String kind) {
        return metrics.readValuesToList().stream()
                .filter(m -> m.kind().equals(kind))
                .toList();
    }

    static TrainingStep step(
            String run, long step, int epoch, long timestamp, int samples, double loss, long c1, long c5) {
        return new TrainingStep(
                1,
                TrainingStep.STEP,
                run,
                TrainingStep.TRAIN,
                epoch,
                step,
                (int) step,
                samples,
                loss,
                c1,
                c5,
                1e-3,
                50,
                0,
                timestamp,
                null);
    }

    static TrainingStep epochEnd(String run, String split, int epoch, long step, long timestamp, int samples) {
        return new TrainingStep(
                1, TrainingStep.EPOCH_END, run, split, epoch, step, 0, samples, 0, 0, 0, 1e-3, 0, 0, timestamp, null);
    }
}
