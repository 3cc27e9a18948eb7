package org.kafkatrain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.Precision;
import org.kafkatrain.contracts.runs.RunMode;
import org.kafkatrain.contracts.runs.RunSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** run.json both ways: a v1 document, as the trainer wrote it before specs were grouped, reads as its v2 meaning. */
class RunDocumentCodecTest {
    @Test
    void aV1RunJsonReadsAsTheRunItDescribes() throws IOException {
        RunDocument run = RunDocumentCodec.read(fixture("run-v1.json"));
        assertThat(run.v()).isEqualTo(RunDocument.VERSION);
        RunSpec spec = run.spec();
        assertThat(spec.runId()).isEqualTo("demo-20261202-175230");
        assertThat(spec.epochs()).isEqualTo(2);
        assertThat(spec.data().dataset()).isEqualTo("fashion-mnist-demo-300");
        assertThat(spec.data().trainTopic()).isEqualTo("demo.images.train.300");
        assertThat(spec.data().mode()).isEqualTo(RunMode.EPOCHS);
        assertThat(spec.data().wholeTopics())
                .as("a setting v1 did not have: its default")
                .isFalse();
        assertThat(spec.optimization()).isEqualTo(new RunSpec.Optimization(32, 1e-3, 0.9, 0.999, 1e-8, 0.0, 20, 0.1));
        assertThat(spec.evaluation()).isEqualTo(new RunSpec.Evaluation(64, 0));
        assertThat(spec.compute()).isEqualTo(new RunSpec.Compute("auto", Precision.BF16, true, AdamKernel.FUSED));
        assertThat(spec.distribution().replicas()).as("null in v1: one process").isEqualTo(1);
        assertThat(run.dataset().classes()).hasSize(10).startsWith("Ankle boot");
        assertThat(run.dataset().records()).as("a v1 manifest pins no records").isEmpty();
        assertThat(run.runStartOffsets()).isEqualTo(Map.of(0, 0L));
        assertThat(run.overrides())
                .singleElement()
                .satisfies(o -> assertThat(o.changes()).containsExactly("stepSize 20 -> 10"));
        assertThat(run.forkedFrom()).isNull();
    }

    @Test
    void aV2RunJsonRoundTrips() throws IOException {
        RunDocument v1 = RunDocumentCodec.read(fixture("run-v1.json"));
        RunDocument forked = new RunDocument(
                RunDocument.VERSION,
                v1.spec(),
                v1.dataset(),
                Map.of(0, 12L, 1, 30L),
                new RunDocument.ForkedFrom("parent", "runs/parent/epoch-0001.tar"),
                v1.overrides(),
                v1.createdAt());
        byte[] json = RunDocumentCodec.write(forked);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"v\" : 2", "\"spec\" : {", "\"optimization\"");
        assertThat(RunDocumentCodec.read(json)).isEqualTo(forked);
        RunDocument overridden = forked.overridden(forked.spec(), List.of("optimization.lr 0.001 -> 0.01"));
        assertThat(overridden.overrides()).hasSize(2);
        assertThat(overridden.runStartOffsets()).isEqualTo(forked.runStartOffsets());
    }

    @Test
    void anUnknownVersionIsRefusedNamingIt() {
        assertThatThrownBy(() -> RunDocumentCodec.read("{\"v\":7}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("v=7");
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = RunDocumentCodecTest.class.getResourceAsStream("/" + name)) {
            return in.readAllBytes();
        }
    }
}
