package org.kafkatrain.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.bench.BenchFigure;

import java.util.List;

class BenchReportTest {
    @Test
    void repeatedFiguresMergeIntoTheMedianOfAllTheirRuns() {
        List<BenchFigure> merged = BenchReport.merged(List.of(
                BenchFigure.median("scale", "2 replicas", "img/s", 100, 110, 120),
                BenchFigure.of("metrics", "p99", 40, "ms"),
                BenchFigure.of("scale", "2 replicas", 90, "img/s"),
                BenchFigure.of("metrics", "p99", 60, "ms"),
                // the same name in another unit is another figure
                BenchFigure.of("scale", "2 replicas", 12.5, "MB/s")));

        assertThat(merged).hasSize(3);
        assertThat(merged.get(2).value()).isEqualTo(12.5);
        assertThat(merged.get(0).runs()).containsExactly(100.0, 110.0, 120.0, 90.0);
        assertThat(merged.get(0).value()).isEqualTo(105);
        assertThat(merged.get(1).value()).isEqualTo(50);
    }

    @Test
    void javaMeetsPyTorchPerVariantAndBestAgainstBestPerSetting() {
        List<BenchFigure> ratios = BenchReport.againstPyTorch(List.of(
                BenchFigure.of("compute", "28 px, batch 32, fp32", 100, "img/s"),
                BenchFigure.of("compute", "28 px, batch 32, bf16+cl", 150, "img/s"),
                BenchFigure.of("compute", "28 px, batch 32, bf16+cl / fp32", 1.5, "x"),
                BenchFigure.of("compute", "224 px, batch 8, fp32", 5, "img/s"),
                BenchFigure.of("pytorch", "28 px, batch 32, fp32", 125, "img/s"),
                BenchFigure.of("pytorch", "28 px, batch 32, bf16+cl", 160, "img/s"),
                BenchFigure.of("pytorch", "224 px, batch 8, bf16", 10, "img/s")));

        assertThat(ratios)
                .extracting(BenchFigure::name)
                .containsExactly(
                        "28 px, batch 32, fp32: Java / PyTorch eager",
                        "28 px, batch 32, bf16+cl: Java / PyTorch eager",
                        "28 px, batch 32, best setting: Java / PyTorch eager");
        assertThat(ratios).extracting(BenchFigure::value).containsExactly(0.8, 0.9375, 0.9375);
        assertThat(ratios.get(2).meetsTarget()).contains(false);
    }

    @Test
    void alternatedRoundsArePairedRoundByRound() {
        List<BenchFigure> ratios = BenchReport.againstPyTorch(BenchReport.merged(List.of(
                // two alternated rounds, each side leaving one run per variant and round, as report_benches does
                BenchFigure.median("compute", "224 px, batch 8, fp32", "img/s", 5),
                BenchFigure.median("compute", "224 px, batch 8, bf16+cl", "img/s", 15),
                BenchFigure.median("pytorch", "224 px, batch 8, fp32", "img/s", 5),
                BenchFigure.median("pytorch", "224 px, batch 8, bf16+cl", "img/s", 16),
                BenchFigure.median("compute", "224 px, batch 8, fp32", "img/s", 4),
                BenchFigure.median("compute", "224 px, batch 8, bf16+cl", "img/s", 12),
                BenchFigure.median("pytorch", "224 px, batch 8, fp32", "img/s", 5),
                BenchFigure.median("pytorch", "224 px, batch 8, bf16+cl", "img/s", 10))));

        // round ratios 1.0 and 0.8; 0.9375 and 1.2 (the ratio of the medians, 13.5 / 13, would be 1.038)
        assertThat(ratios).extracting(BenchFigure::value).containsExactly(0.9, 1.06875, 1.06875);
        assertThat(ratios.get(1).runs()).containsExactly(0.9375, 1.2);
        assertThat(ratios.get(2).name()).isEqualTo("224 px, batch 8, best setting: Java / PyTorch eager");
        assertThat(ratios.get(2).meetsTarget()).contains(true);
    }

    @Test
    void knownBenchmarksComeInReportOrderAndOthersAfterThem() {
        assertThat(BenchReport.benches(List.of(
                        BenchFigure.of("zeta", "a", 1, "s"),
                        BenchFigure.of("metrics", "a", 1, "s"),
                        BenchFigure.of("ingest", "a", 1, "s"),
                        BenchFigure.of("alpha", "a", 1, "s"))))
                .containsExactly("ingest", "metrics", "alpha", "zeta");
    }

    @Test
    void numbersKeepAboutThreeDigits() {
        assertThat(List.of(
                        BenchReport.number(0.9123),
                        BenchReport.number(1.234),
                        BenchReport.number(12.34),
                        BenchReport.number(4689.4)))
                .containsExactly("0.912", "1.23", "12.3", "4689");
    }
}
