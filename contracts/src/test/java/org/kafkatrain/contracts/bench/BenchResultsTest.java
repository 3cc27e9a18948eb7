package org.kafkatrain.contracts.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

class BenchResultsTest {
    @TempDir
    Path dir;

    @Test
    void figuresFromSeveralWritersComeBackInOrderWithTheirRunsAndSeries() throws Exception {
        Path file = dir.resolve("nested/results.jsonl");
        BenchResults.to(Optional.of(file))
                .add(BenchFigure.median("ingest", "224 px: ingest / ProducerPerformance", "x", 1.38, 0.72, 1.05)
                        .withTarget(">= 0.90"));
        // A second process appends to the same file.
        BenchResults.to(Optional.of(file))
                .add(new BenchFigure(
                        "trainer",
                        "RSS",
                        812,
                        "MB",
                        List.of(),
                        null,
                        List.of(List.of(100.0, 790.0), List.of(2000.0, 812.0))));

        List<BenchFigure> figures = BenchResults.read(file);

        assertThat(figures).hasSize(2);
        BenchFigure ingest = figures.get(0);
        assertThat(ingest.value()).isEqualTo(1.05);
        assertThat(ingest.isRatio()).isTrue();
        assertThat(ingest.min()).isEqualTo(0.72);
        assertThat(ingest.max()).isEqualTo(1.38);
        assertThat(ingest.target()).isEqualTo(">= 0.90");
        assertThat(figures.get(1).points()).containsExactly(List.of(100.0, 790.0), List.of(2000.0, 812.0));
        assertThat(figures.get(1).min()).isEqualTo(812);
        assertThat(Files.readAllLines(file).get(0)).doesNotContain("ratio");
    }

    @Test
    void withoutAFileFiguresAreOnlyPrinted() {
        BenchResults.to(Optional.empty()).add(BenchFigure.of("metrics", "events/s", 1, "1/s"));
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void targetsAreCheckedInTheirDirection() {
        BenchFigure stall = BenchFigure.of("checkpoint", "held", 0.4, "s");
        assertThat(stall.meetsTarget()).isEmpty();
        assertThat(stall.withTarget("< 1").meetsTarget()).contains(true);
        assertThat(stall.withTarget(">= 0.97").meetsTarget()).contains(false);
        assertThat(stall.withTarget("<= 0.4").meetsTarget()).contains(true);
        assertThatThrownBy(() -> stall.withTarget("about 1").meetsTarget()).hasMessageContaining("'about 1' of held");
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(BenchFigure.median(4, 1, 3, 2)).isEqualTo(2.5);
        assertThat(BenchFigure.median(5, 1, 3)).isEqualTo(3);
        assertThatThrownBy(BenchFigure::median).isInstanceOf(IllegalArgumentException.class);
    }
}
