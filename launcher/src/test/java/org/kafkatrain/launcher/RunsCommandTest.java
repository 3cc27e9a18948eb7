package org.kafkatrain.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.TrainingMetrics;

import java.util.List;

class RunsCommandTest {
    private static TrainingMetrics epoch(String split, int epoch, double top1) {
        return new TrainingMetrics(1, "epoch", "r", split, epoch, 0, 1, 10, 640, 0.3, top1, 99.9, 100);
    }

    @Test
    void theBestValTop1ComesFromTheEpochSummaries() {
        List<TrainingMetrics> epochs = List.of(
                epoch("train", 0, 97.0), epoch("val", 0, 90.41), epoch("train", 1, 98.0), epoch("val", 1, 90.37));

        assertThat(RunsCommand.bestValCell(epochs, 90.37)).isEqualTo("90.41");
    }

    @Test
    void withoutSummariesTheLastValTop1IsShownAsTheLastNotTheBest() {
        assertThat(RunsCommand.bestValCell(List.of(), 90.37)).isEqualTo("90.37 (last)");
        assertThat(RunsCommand.bestValCell(List.of(epoch("train", 0, 80.0)), null))
                .isEqualTo("-");
    }
}
