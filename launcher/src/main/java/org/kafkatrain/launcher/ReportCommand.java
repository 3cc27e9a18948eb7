package org.kafkatrain.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.bench.BenchFigure;
import org.kafkatrain.contracts.bench.BenchResults;
import org.kafkatrain.contracts.runs.RunOverride;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunSpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code report}: the figures the benchmarks left in a results file (see {@link BenchResults}) as
 * {@code docs/report.md} with its charts beside it, the machine described, and optionally a quality run.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Writes the performance report (markdown and PNG charts) from the benchmarks' figures.",
            "./kafka-train report runs every benchmark first and then this; see ./kafka-train report --help."
        })
final class ReportCommand implements Callable<Integer> {
    static final String RATIOS_PNG = "report-ratios.png";
    static final String QUALITY_PNG = "report-quality.png";
    /** How long the report waits for metrics-stream to restore its history after a start (about 40 s here). */
    private static final Duration METRICS_RESTORE_PATIENCE = Duration.ofMinutes(3);

    @Option(names = "--results", required = true, description = "the benchmarks' figures, one JSON line each")
    Path results;

    @Option(names = "--out", defaultValue = "docs/report.md", description = "the report; charts go beside it")
    Path out;

    @Option(
            names = "--quality-run",
            description = "a finished run to report as the quality run (epoch summaries from metrics-stream), after the"
                    + " runs it started from")
    String qualityRun;

    @Option(names = "--quality-target", defaultValue = "94", description = "val top-1 %% the quality run aims at")
    double qualityTarget;

    @Mixin
    Services services;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<BenchFigure> figures = new ArrayList<>(BenchReport.merged(BenchResults.read(results)));
        figures.addAll(BenchReport.againstPyTorch(figures));
        if (figures.isEmpty()) {
            throw new LauncherException("no figures in " + results + ": run the benchmarks with BENCH_RESULTS set");
        }
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        StringBuilder md = new StringBuilder();
        md.append("# kafka-train performance report\n\n")
                .append("Written by `./kafka-train report` on ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(" from ")
                .append(figures.size())
                .append(
                        " figures. A value is the median of the runs shown (their spread beside it) or one measurement;")
                .append(
                        " a ratio (unit `x`) compares two things measured side by side in the same run, round by round.")
                .append(
                        " Figures on this kind of machine move by 10-30% from run to run: compare ratios, not rates.\n\n")
                .append("## Machine\n\n")
                .append(MachineDescription.ofThisMachine().markdown())
                .append('\n');

        List<BenchFigure> ratios = figures.stream().filter(BenchFigure::isRatio).toList();
        if (!ratios.isEmpty()) {
            ReportCharts.ratios(ratios, dir.resolve(RATIOS_PNG));
            md.append("## Side by side\n\n![ratios](")
                    .append(RATIOS_PNG)
                    .append(")\n\n")
                    .append(BenchReport.table(ratios))
                    .append('\n');
        }
        for (String bench : BenchReport.benches(figures)) {
            md.append("## ").append(bench).append("\n\n");
            String about = BenchReport.SECTIONS.get(bench);
            if (about != null) {
                md.append(about).append("\n\n");
            }
            List<BenchFigure> section =
                    figures.stream().filter(f -> f.bench().equals(bench)).toList();
            md.append(BenchReport.table(section)).append('\n');
            for (BenchFigure series :
                    section.stream().filter(f -> !f.points().isEmpty()).toList()) {
                String png = "report-" + bench + "-series.png"; // the trainer's RSS over steps, the one series so far
                ReportCharts.series(series, "step", dir.resolve(png));
                md.append("![").append(series.name()).append("](").append(png).append(")\n\n");
            }
        }
        if (qualityRun != null) {
            QualityLineage lineage = quality();
            ReportCharts.quality(lineage, dir.resolve(QUALITY_PNG));
            md.append("## Quality run\n\n").append(lineage.markdown(QUALITY_PNG));
        }
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.err.printf(Locale.ROOT, "kafka-train: wrote %s (%d figures) and its charts%n", out, figures.size());
        return 0;
    }

    /** The quality run and, oldest first, the runs it started from, as far as metrics-stream still has them. */
    private QualityLineage quality() {
        QualityRun run = stage(qualityRun)
                .orElseThrow(() -> new LauncherException("metrics-stream has no epoch summaries of run " + qualityRun));
        List<QualityRun> stages = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (run != null && seen.add(run.runId())) {
            stages.add(0, run);
            run = run.parentRunId().flatMap(this::stage).orElse(null);
        }
        return new QualityLineage(stages, qualityTarget);
    }

    private Optional<QualityRun> stage(String runId) {
        List<TrainingMetrics> epochs = services.metrics()
                .getWhenAvailable(
                        "/runs/" + runId + "/epochs",
                        new TypeReference<List<TrainingMetrics>>() {},
                        METRICS_RESTORE_PATIENCE)
                .orElse(List.of());
        if (epochs.isEmpty()) {
            return Optional.empty();
        }
        RunSpec config = services.trainer()
                .get("/runs/" + runId + "/config", new TypeReference<JsonNode>() {})
                .map(RunSpecs::read)
                .orElseThrow(() -> new LauncherException("no run " + runId + " on trainer-service"));
        List<RunOverride> overrides = services.trainer()
                .get("/runs/" + runId + "/overrides", new TypeReference<List<RunOverride>>() {})
                .orElse(List.of());
        return Optional.of(new QualityRun(runId, config, overrides, epochs));
    }
}
