package org.kafkatrain.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.runs.RunField;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunSpecs;

import java.util.List;

class RunComparisonTest {
    @Test
    void settingsSideBySideByTheirPathMarkWhatDiffers() throws Exception {
        RunSpec a = RunSpecs.read(ServiceClient.JSON.readTree("{\"runId\":\"a\",\"lr\":0.001,\"augment\":null}"));
        RunSpec b = RunSpecs.read(ServiceClient.JSON.readTree(
                "{\"v\":2,\"runId\":\"b\",\"optimization\":{\"lr\":0.01},\"start\":{\"initWeights\":\"w.pt\"}}"));
        List<List<String>> rows = RunComparison.settings(List.of(a, b));
        assertThat(rows).hasSize(RunField.values().length);
        assertThat(rows)
                .contains(
                        List.of("data.augment", "false", "false", ""),
                        List.of("optimization.batchSize", "32", "32", ""),
                        List.of("optimization.lr", "0.001", "0.01", "*"),
                        List.of("data.mean", "0.485,0.456,0.406", "0.485,0.456,0.406", ""),
                        List.of("start.initWeights", "-", "w.pt", "*"));
    }

    @Test
    void valEpochsLineUpByEpochWithGapsForMissingOnes() {
        List<TrainingMetrics> a =
                List.of(epoch("a", 0, "val", 80.0), epoch("a", 0, "train", 70.0), epoch("a", 1, "val", 85.5));
        List<TrainingMetrics> b = List.of(epoch("b", 0, "val", 75.25));
        assertThat(RunComparison.valEpochs(List.of(a, b)))
                .containsExactly(
                        List.of("0", "0.5000", "80.00", "99.00", "0.5000", "75.25", "99.00"),
                        List.of("1", "0.5000", "85.50", "99.00", "-", "-", "-"));
        assertThat(RunComparison.valHeader(List.of("a", "b")))
                .containsExactly("epoch", "a loss", "top-1 %", "top-5 %", "b loss", "top-1 %", "top-5 %");
        assertThat(RunComparison.bestValTop1(a)).isEqualTo(85.5);
        assertThat(RunComparison.bestValTop1(List.of())).isNull();
    }

    private static TrainingMetrics epoch(String run, int epoch, String split, double top1) {
        return new TrainingMetrics(1, TrainingMetrics.EPOCH, run, split, epoch, 0, 0, 10, 100, 0.5, top1, 99.0, 50);
    }
}
