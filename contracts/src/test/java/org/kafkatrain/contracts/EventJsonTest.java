package org.kafkatrain.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

class EventJsonTest {
    @Test
    void trainingStepRoundTrips() throws InvalidRecordException {
        TrainingStep step = new TrainingStep(
                1,
                TrainingStep.STEP,
                "run-1",
                TrainingStep.TRAIN,
                2,
                41,
                3,
                32,
                1.25,
                17,
                30,
                1e-3,
                27.5,
                4,
                1_764_000_000_000L,
                "00000000deadbeef");
        assertThat(EventJson.readStep(EventJson.write(step))).isEqualTo(step);
        assertThat(EventSerdes.trainingStep()
                        .deserializer()
                        .deserialize(
                                "t", EventSerdes.trainingStep().serializer().serialize("t", step)))
                .isEqualTo(step);
    }

    @Test
    void trainingMetricsRoundTrips() throws InvalidRecordException {
        TrainingMetrics m = new TrainingMetrics(
                1, TrainingMetrics.EPOCH, "run-1", TrainingStep.VAL, 3, 10, 20, 5, 160, 0.5, 81.25, 99.375, 40.0);
        assertThat(EventJson.readMetrics(EventJson.write(m))).isEqualTo(m);
    }

    @Test
    void manifestRoundTrips() throws InvalidRecordException {
        DatasetManifest m = new DatasetManifest(
                1,
                "fashion-mnist",
                List.of("T-shirt/top", "Trouser"),
                28,
                28,
                1,
                "/usr/share/datasets/fashion-mnist",
                Map.of("train", Map.of("T-shirt/top", 6000L, "Trouser", 6000L)),
                5L);
        assertThat(EventJson.readManifest(EventJson.write(m))).isEqualTo(m);
    }

    @Test
    void missingFieldsAndUnknownVersionsAreRejected() {
        assertThatThrownBy(() -> EventJson.readStep("{\"v\":1,\"type\":\"step\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.problem()).isEqualTo(InvalidRecordException.Problem.MALFORMED_EVENT));
        byte[] v2 = EventJson.write(
                new TrainingStep(2, TrainingStep.STEP, "r", "train", 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, null));
        assertThatThrownBy(() -> EventJson.readStep(v2))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.problem()).isEqualTo(InvalidRecordException.Problem.UNSUPPORTED_VERSION));
        assertThatThrownBy(() -> EventSerdes.trainingStep()
                        .deserializer()
                        .deserialize("t", "nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class);
    }
}
