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
                DatasetManifest.VERSION,
                "fashion-mnist",
                List.of("T-shirt/top", "Trouser"),
                28,
                28,
                1,
                "/usr/share/datasets/fashion-mnist",
                Map.of("train", Map.of("T-shirt/top", 6000L, "Trouser", 6000L)),
                5L,
                Map.of("train", new DatasetRecords("shared.train", List.of(new OffsetRange(0, 10, 20)))));
        assertThat(EventJson.readManifest(EventJson.write(m))).isEqualTo(m);
    }

    @Test
    void aV1ManifestReadsAsPinningNoRecords() throws InvalidRecordException {
        String v1 = "{\"v\":1,\"dataset\":\"old\",\"classes\":[\"a\",\"b\"],\"height\":28,\"width\":28,"
                + "\"channels\":1,\"source\":\"/data\",\"counts\":{\"train\":{\"a\":3,\"b\":4}},\"createdAt\":5}";
        DatasetManifest m = EventJson.readManifest(v1.getBytes(StandardCharsets.UTF_8));
        assertThat(m.records()).isEmpty();
        assertThat(m.imagesOf("train")).isEqualTo(7);
        assertThat(m.recordsOf("train")).isEmpty();
    }

    @Test
    void aManifestWithImpossibleRecordsIsRefusedAsMalformed() {
        // any client may publish on the datasets topic: a manifest's ranges are checked when it is read
        String base = "{\"v\":2,\"dataset\":\"d\",\"classes\":[\"a\"],\"height\":2,\"width\":2,\"channels\":1,"
                + "\"source\":\"s\",\"counts\":{},\"createdAt\":1,\"records\":{\"train\":";
        for (String records : List.of(
                "{\"topic\":\"t\",\"ranges\":[{\"partition\":0,\"from\":5,\"to\":3}]}}}",
                "{\"topic\":\"t\",\"ranges\":[{\"partition\":-1,\"from\":0,\"to\":3}]}}}",
                "{\"topic\":\"\",\"ranges\":[]}}}",
                "{\"topic\":\"t\",\"ranges\":\"all\"}}}")) {
            assertThatThrownBy(() -> EventJson.readManifest((base + records).getBytes(StandardCharsets.UTF_8)))
                    .as(records)
                    .isInstanceOfSatisfying(
                            InvalidRecordException.class,
                            e -> assertThat(e.problem()).isEqualTo(InvalidRecordException.Problem.MALFORMED_EVENT));
        }
    }

    @Test
    void offsetRangesHoldExactlyTheGivenRecords() {
        // offsets 3-5 and 8 of partition 0 (6 and 7 belong to another producer), 0-1 of partition 2
        List<OffsetRange> ranges = OffsetRange.covering(Map.of(0, List.of(5L, 3L, 4L, 8L), 2, List.of(1L, 0L)));
        assertThat(ranges)
                .containsExactly(new OffsetRange(0, 3, 6), new OffsetRange(0, 8, 9), new OffsetRange(2, 0, 2));
        DatasetRecords records = new DatasetRecords("t", ranges);
        assertThat(records.start()).isEqualTo(Map.of(0, 3L, 2, 0L));
        assertThat(records.end()).isEqualTo(Map.of(0, 9L, 2, 2L));
        assertThat(records.recordCount()).isEqualTo(6);
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
