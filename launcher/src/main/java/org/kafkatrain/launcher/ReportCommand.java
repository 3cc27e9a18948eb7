package org.kafkatrain.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.bench.BenchFigure;
import org.kafkatrain.contracts.bench.BenchResults;
import org.kafkatrain.contracts.runs.RunOverride;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunSpecs;
import org.kafkatrain.stack.Stack;
import org.kafkatrain.stack.StackCommand;
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
 * {@code report}: every benchmark with its figures collected in a results file (see {@link BenchResults}), then
 * those figures as {@code docs/report.md} with its charts beside it, the machine described, and optionally a
 * quality run.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs every benchmark (./kafka-train bench --help), each appending its figures to $KT_HOME/report/results.jsonl,",
            "then writes docs/report.md and its charts beside it (PNG, JFreeChart): the machine, the side-by-side ratios,",
            "a table per benchmark (median, runs, spread), the trainer's RSS over steps, and a quality run. About 40",
            "minutes on 2 cores; give the machine to it alone. REPORT_REPEATS (3) runs of the single-shot benchmarks (scale,",
            "metrics) for a median; REPORT_PYTHON, a Python with torch and torchvision, adds PyTorch eager's side of the",
            "compute benchmark (tools/pytorch_compute_bench.py) and the Java / PyTorch ratios, the two taking turns a round",
            "each; the bench variables (BENCH_COMPUTE_STEPS, ...) apply as in ./kafka-train bench."
        })
final class ReportCommand implements Callable<Integer> {
    static final String RATIOS_PNG = "report-ratios.png";
    static final String QUALITY_PNG = "report-quality.png";
    /** How long the report waits for metrics-stream to restore its history after a start (about 40 s here). */
    private static final Duration METRICS_RESTORE_PATIENCE = Duration.ofMinutes(3);

    @Option(
            names = "--reuse-results",
            description = "write the report from the figures of the last run, without benchmarking again")
    boolean reuseResults;

    @Option(
            names = "--results",
            description = "write the report from this file of figures (one JSON line each), without benchmarking")
    Path results;

    @Option(names = "--out", description = "the report; charts go beside it (default: docs/report.md of the checkout)")
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
        if (results == null) {
            Stack stack = StackCommand.fromEnvironment();
            results = stack.settings().home().resolve("report/results.jsonl");
            if (!reuseResults) {
                Files.createDirectories(results.getParent());
                Files.deleteIfExists(results);
                System.err.println("kafka-train: running every benchmark (about 40 min on 2 cores)");
                new Benchmarks(stack, results).forReport();
            }
            if (!Files.exists(results) || Files.size(results) == 0) {
                throw new LauncherException(
                        "no figures in " + results + ": run ./kafka-train report without --reuse-results");
            }
            if (qualityRun != null && services.local("--trainer-url")) {
                stack.up();
            }
            if (out == null) {
                out = stack.repository().root().resolve("docs/report.md");
            }
        }
        if (out == null) {
            out = Path.of("docs/report.md");
        }
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
