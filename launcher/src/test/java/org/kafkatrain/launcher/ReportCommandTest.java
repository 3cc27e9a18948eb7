package org.kafkatrain.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.bench.BenchFigure;
import org.kafkatrain.contracts.bench.BenchResults;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

class ReportCommandTest {
    @TempDir
    Path dir;

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void figuresBecomeTablesPerBenchmarkWithTargetsChartsAndTheMachine() throws Exception {
        Path results = dir.resolve("results.jsonl");
        BenchResults out = BenchResults.to(Optional.of(results));
        out.add(BenchFigure.median("trainer", "batch 8, Kafka-fed / in-memory", "x", 0.96, 1.01, 0.99)
                .withTarget(">= 0.97"));
        out.add(new BenchFigure(
                "trainer",
                "RSS over steps",
                1210,
                "MB",
                List.of(),
                null,
                List.of(List.of(100.0, 1190.0), List.of(200.0, 1205.0), List.of(300.0, 1210.0))));
        out.add(BenchFigure.median("ingest", "224x224x3 none, ingest / ProducerPerformance", "x", 0.72, 1.05, 1.38)
                .withTarget(">= 0.90"));
        out.add(BenchFigure.of("checkpoint", "training thread held, background upload", 0.41, "s")
                .withTarget("< 1"));
        // A single-shot benchmark the report ran twice: one figure, the median of both.
        out.add(BenchFigure.of("metrics", "burst: sustained", 9000, "events/s"));
        out.add(BenchFigure.of("metrics", "burst: sustained", 11000, "events/s"));
        Path report = dir.resolve("docs/report.md");

        int exit = KafkaTrain.commandLine()
                .execute("report", "--results=" + results, "--out=" + report, "--metrics-url=http://127.0.0.1:1");

        assertThat(exit).isZero();
        String md = Files.readString(report);
        assertThat(md).contains("## Machine", "| CPU |", "| libraries | libtorch 2.");
        // Report order: ingest before trainer before checkpoint before metrics, whatever order they were run in.
        assertThat(md.indexOf("## ingest"))
                .isLessThan(md.indexOf("## trainer"))
                .isGreaterThan(md.indexOf("## Side by side"));
        assertThat(md.indexOf("## checkpoint")).isBetween(md.indexOf("## trainer"), md.indexOf("## metrics"));
        assertThat(md)
                .contains("| batch 8, Kafka-fed / in-memory | 0.990 | x | 3 | 0.960-1.01 | >= 0.97 met |")
                .contains("| 224x224x3 none, ingest / ProducerPerformance | 1.05 | x | 3 | 0.720-1.38 | >= 0.90 met |")
                .contains("| training thread held, background upload | 0.410 | s | 1 |  | < 1 met |")
                .contains("| burst: sustained | 10000 | events/s | 2 | 9000-11000 |  |")
                .contains("![RSS over steps](report-trainer-series.png)")
                .doesNotContain("## Quality run");
        assertPng(report.resolveSibling(ReportCommand.RATIOS_PNG), 1100);
        assertPng(report.resolveSibling("report-trainer-series.png"), 900);
    }

    @Test
    void aMissedTargetIsMarked() throws Exception {
        Path results = dir.resolve("results.jsonl");
        BenchResults.to(Optional.of(results))
                .add(BenchFigure.of("compute", "28 px, bf16+cl / PyTorch", 0.92, "x")
                        .withTarget(">= 1.0"));
        Path report = dir.resolve("report.md");
        assertThat(KafkaTrain.commandLine().execute("report", "--results=" + results, "--out=" + report))
                .isZero();
        assertThat(Files.readString(report)).contains("| >= 1.0 **missed** |");
    }

    @Test
    void theQualityRunComesFromItsEpochSummariesAndConfig() throws Exception {
        long t0 = 1_000_000;
        List<TrainingMetrics> epochs = epochs("q", t0, 80.32, 86.5, 88.25);
        Map<String, String> replies = Map.of(
                "/runs/q/epochs",
                ServiceClient.JSON.writeValueAsString(epochs),
                "/runs/q/config",
                "{\"runId\":\"q\",\"dataset\":\"fm\",\"trainTopic\":\"t\",\"valTopic\":\"v\",\"epochs\":3,"
                        + "\"batchSize\":64,\"lr\":0.001,\"stepSize\":2,\"gamma\":0.1,\"augment\":true,"
                        + "\"precision\":\"bf16\",\"channelsLast\":true,\"seed\":42}",
                // resumed after epoch 1's training with another StepLR step
                "/runs/q/overrides",
                "[{\"at\":" + (t0 + 550_000) + ",\"changes\":[\"stepSize 3 -> 2\"]}]");

        String md = qualitySection(replies);

        assertThat(md)
                .contains("## Quality run", "batch 64", "StepLR step 2 gamma 0.1", "precision bf16")
                .contains("Resumed from epoch 2 on with changed settings (`--override`): stepSize 3 -> 2.")
                .contains("| 3 | 60000 | 0.5000 | 77.00 | 10000 | 0.4000 | 88.25 | 99.50 |")
                .contains("Best val top-1 **88.25%** (top-5 99.50%) at epoch 3 of 3; target >= 94%: **missed**")
                // From the first step (t0) to the end of the last val summary: 2 x 10 min + 9 min.
                .contains("Wall time 29 min");
    }

    @Test
    void aRunStartedFromAnotherRunsCheckpointIsReportedWithItsParentAsStages() throws Exception {
        long t0 = 1_000_000;
        // p: 3 epochs of 10 min; q: 2 epochs of 10 min from p's epoch-0001.tar (the end of p's epoch 2)
        List<TrainingMetrics> parent = epochs("p", t0, 85.0, 90.5, 90.25);
        List<TrainingMetrics> child = epochs("q", t0 + 3_600_000, 91.0, 92.75);
        String settings = "\"dataset\":\"fm\",\"trainTopic\":\"t\",\"valTopic\":\"v\",\"batchSize\":64,"
                + "\"lr\":0.001,\"gamma\":0.1,\"augment\":true,\"seed\":42";
        Map<String, String> replies = Map.of(
                "/runs/p/epochs",
                ServiceClient.JSON.writeValueAsString(parent),
                "/runs/p/config",
                "{\"runId\":\"p\",\"epochs\":3,\"stepSize\":2,\"initWeights\":null," + settings + "}",
                "/runs/q/epochs",
                ServiceClient.JSON.writeValueAsString(child),
                "/runs/q/config",
                "{\"runId\":\"q\",\"epochs\":2,\"stepSize\":1,\"initWeights\":\"runs/p/epoch-0001.tar\"," + settings
                        + "}");

        String md = qualitySection(replies, "--quality-target=92.5");

        assertThat(md)
                .contains("Run `q` builds on 1 earlier run, all through the Kafka path.")
                .contains("### Stage 1: `p`", "### Stage 2: `q`")
                .containsOnlyOnce("| 3 | 60000 |")
                .contains("Starts from the weights of run `p` after its epoch 2 (`runs/p/epoch-0001.tar`)")
                .contains("Best val top-1 of this stage 90.50% at its epoch 2 of 3; wall time 29 min.")
                // q's epoch 2 follows p's epoch 2, so it is the 4th epoch over the stages.
                .contains("Best val top-1 **92.75%** (top-5 99.50%) at epoch 2 of `q`, epoch 4 over the stages;"
                        + " target >= 92.5%: met. Wall time 29 + 19 = 48 min over the stages")
                .contains("The last epoch's val top-1: 92.75%.");
        assertThat(md.indexOf("### Stage 1")).isLessThan(md.indexOf("### Stage 2"));
    }

    /** The report of one bench figure with run q as its quality run, from trainer and metrics answering replies. */
    private String qualitySection(Map<String, String> replies, String... options) throws IOException {
        String url = serve(replies);
        Path results = dir.resolve("results.jsonl");
        BenchResults.to(Optional.of(results)).add(BenchFigure.of("feed", "224 px raw", 1564, "img/s"));
        Path report = dir.resolve("report.md");
        List<String> args = new ArrayList<>(List.of(
                "report",
                "--results=" + results,
                "--out=" + report,
                "--quality-run=q",
                "--metrics-url=" + url,
                "--trainer-url=" + url));
        args.addAll(List.of(options));

        assertThat(KafkaTrain.commandLine().execute(args.toArray(String[]::new)))
                .isZero();
        assertPng(report.resolveSibling(ReportCommand.QUALITY_PNG), 900);
        return Files.readString(report);
    }

    /** An epoch of 10 min per val figure: training 500 s, then 40 s of evaluation. */
    private static List<TrainingMetrics> epochs(String run, long t0, double... val) {
        List<TrainingMetrics> epochs = new ArrayList<>();
        for (int e = 0; e < val.length; e++) {
            long start = t0 + e * 600_000L;
            epochs.add(new TrainingMetrics(
                    1, "epoch", run, "train", e, start, start + 500_000, 938, 60000, 0.5, 75 + e, 99, 120));
            epochs.add(new TrainingMetrics(
                    1, "epoch", run, "val", e, start + 500_000, start + 540_000, 79, 10000, 0.4, val[e], 99.5, 250));
        }
        return epochs;
    }

    private String serve(Map<String, String> replies) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = replies.get(exchange.getRequestURI().getPath());
            byte[] bytes = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void assertPng(Path png, int width) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as(png.toString()).isNotNull();
        assertThat(image.getWidth()).isEqualTo(width);
    }
}
