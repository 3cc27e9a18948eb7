package org.kafkatrain.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import org.kafkatrain.contracts.bench.BenchFigure;
import org.kafkatrain.contracts.bench.BenchResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench ingest}: Fashion-MNIST through the ingest command at 28x28x1 and resized to 224x224x3, side by side
 * with Kafka's own ProducerPerformance sending as many records of the same size to the same broker with the same
 * producer settings; then the same pixels with lz4 and zstd. Both run as their own processes, one after the other.
 */
@Command(
        name = "bench-ingest",
        mixinStandardHelpOptions = true,
        hidden = true,
        description =
                "Ingest throughput vs Kafka's ProducerPerformance, and compression (run by ./kafka-train bench ingest).")
final class BenchIngestCommand implements Callable<Integer> {
    /** The summary line ProducerPerformance prints last: "... records sent, ... records/sec (12.34 MB/sec), ...". */
    private static final Pattern PERF_MB_S = Pattern.compile("\\(([0-9.]+) MB/sec\\)");

    @Option(names = "--data", defaultValue = "/usr/share/datasets/fashion-mnist")
    Path data;

    @Option(names = "--ingest-jar", required = true, description = "ingest-service's quarkus-run.jar")
    Path ingestJar;

    @Option(
            names = "--kafka-classpath",
            required = true,
            description = "classpath of Kafka's tools (ProducerPerformance)")
    String kafkaClasspath;

    @Option(names = "--log4j-config", description = "Log4j 2 configuration for Kafka's tools")
    Path log4jConfig;

    @Option(
            names = "--ingest-heap",
            defaultValue = "${env:INGEST_HEAP:-1g}",
            description = "maximum heap of the ingest processes, as ./kafka-train ingest sets it")
    String ingestHeap;

    @Option(
            names = "--ingest-java-opts",
            defaultValue = "${env:INGEST_JAVA_OPTS:-}",
            description = "JVM options of the ingest processes, as ./kafka-train ingest takes them")
    String ingestJavaOpts;

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    @Option(names = "--small", defaultValue = "${env:BENCH_INGEST_SMALL:-60000}", description = "images at 28x28x1")
    int small;

    @Option(names = "--large", defaultValue = "${env:BENCH_INGEST_LARGE:-6000}", description = "images at 224x224x3")
    int large;

    @Option(
            names = "--rounds",
            defaultValue = "${env:BENCH_INGEST_ROUNDS:-5}",
            description = "rounds of the uncompressed ingest and ProducerPerformance")
    int rounds;

    @Option(
            names = "--results",
            defaultValue = "${env:BENCH_RESULTS}",
            description = "append the figures to this file (default: $BENCH_RESULTS; none: only print them)")
    Path resultsFile;

    private record Shape(String name, int size, int channels, int images) {}

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data)) {
            throw new LauncherException(
                    "bench ingest needs Fashion-MNIST in " + data + ": apt-get install dataset-fashion-mnist");
        }
        String tag = Long.toString(System.currentTimeMillis() / 1000);
        List<List<String>> rows = new ArrayList<>();
        BenchResults results = BenchResults.to(Optional.ofNullable(resultsFile));
        for (Shape shape : List.of(new Shape("28x28x1", 0, 0, small), new Shape("224x224x3", 224, 3, large))) {
            for (String codec : List.of("none", "lz4", "zstd")) {
                // Uncompressed: rounds of ingest and ProducerPerformance one after the other, so that each ratio
                // compares neighbours on this noisy machine; the compressed runs once each.
                int n = codec.equals("none") ? rounds : 1;
                double[] rates = new double[n];
                double[] mbs = new double[n];
                double[] perfs = new double[n];
                double[] ratios = new double[n];
                long images = 0;
                long records = 0;
                int recordSize = 0;
                for (int round = 0; round < n; round++) {
                    JsonNode summary = ingest(tag + "r" + round, shape, codec);
                    images = sum(summary.get("images"));
                    records = sum(summary.get("records"));
                    double megabytes = summary.get("bytes").asLong() / 1e6;
                    double seconds = summary.get("seconds").asDouble();
                    rates[round] = images / seconds;
                    mbs[round] = megabytes / seconds;
                    if (codec.equals("none")) {
                        recordSize = (int) (megabytes * 1e6 / records);
                        perfs[round] = producerPerformance(
                                "bench." + tag + "r" + round + "." + shape.name() + ".raw", records, recordSize);
                        ratios[round] = mbs[round] / perfs[round];
                        System.err.printf(
                                Locale.ROOT,
                                "kafka-train: %s round %d/%d: ingest %.1f MB/s, ProducerPerformance %.1f MB/s, %.2fx%n",
                                shape.name(),
                                round + 1,
                                n,
                                mbs[round],
                                perfs[round],
                                ratios[round]);
                    }
                }
                String setting = shape.name() + " " + codec;
                BenchFigure rate = BenchFigure.median("ingest", setting + ", ingest", "img/s", rates);
                BenchFigure mb = BenchFigure.median("ingest", setting + ", ingest", "MB/s", mbs);
                results.add(rate);
                results.add(mb);
                List<String> row = new ArrayList<>(List.of(
                        shape.name(),
                        codec,
                        Long.toString(images),
                        Long.toString(records),
                        fmt("%.0f", rate.value()),
                        fmt("%.1f", mb.value())));
                if (codec.equals("none")) {
                    BenchFigure perf = BenchFigure.median("ingest", setting + ", ProducerPerformance", "MB/s", perfs);
                    BenchFigure ratio = BenchFigure.median(
                                    "ingest", setting + ", ingest / ProducerPerformance", BenchFigure.RATIO, ratios)
                            .withTarget(shape.size() == 224 ? ">= 0.90" : null);
                    results.add(perf);
                    results.add(ratio);
                    row.addAll(List.of(
                            records + " x " + recordSize / 1024 + "K",
                            fmt("%.1f", perf.value()),
                            fmt("%.2f", ratio.value()),
                            fmt("%.2f", ratio.min()) + "-" + fmt("%.2f", ratio.max())));
                }
                rows.add(row);
                System.err.println("kafka-train: " + String.join(" ", row));
            }
        }
        deleteTopics("bench\\." + tag + ".*");
        System.out.print(Tables.render(
                List.of(
                        "shape",
                        "codec",
                        "images",
                        "records",
                        "img/s",
                        "MB/s",
                        "ProducerPerf",
                        "MB/s",
                        "ratio",
                        "min-max"),
                rows));
        System.out.println(
                "MB/s counts uncompressed record values; ProducerPerformance sends random bytes (incompressible), so only the"
                        + " 'none' rows are compared; they are medians of " + rounds
                        + " rounds, the ratio the median of"
                        + " the rounds' ratios");
        return 0;
    }

    private JsonNode ingest(String tag, Shape shape, String codec) throws IOException, InterruptedException {
        Path summary = Files.createTempFile("bench-ingest-", ".json");
        try {
            String prefix = "bench." + tag + "." + shape.name() + "." + codec;
            List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + ingestHeap));
            Arrays.stream(ingestJavaOpts.strip().split("\\s+"))
                    .filter(o -> !o.isEmpty())
                    .forEach(command::add);
            command.addAll(List.of(
                    "-Dquarkus.http.port=0",
                    "-Dingest.producer.compression=" + codec,
                    "-jar",
                    ingestJar.toString(),
                    "ingest",
                    data.toString(),
                    "--no-progress",
                    "--bootstrap-servers",
                    bootstrapServers,
                    "--dataset",
                    "bench-" + tag + "-" + shape.name() + "-" + codec,
                    "--train-topic",
                    prefix + ".train",
                    "--val-topic",
                    prefix + ".val",
                    "--limit",
                    Integer.toString(shape.images() / 10),
                    "--val-limit",
                    "1",
                    "--size",
                    Integer.toString(shape.size()),
                    "--channels",
                    Integer.toString(shape.channels()),
                    "--summary-json",
                    summary.toString()));
            run(command);
            return ServiceClient.JSON.readTree(summary.toFile());
        } finally {
            Files.deleteIfExists(summary);
        }
    }

    /** MB/s that Kafka's own producer benchmark reaches with the same record count, size and producer settings. */
    private double producerPerformance(String topic, long records, int recordSize)
            throws IOException, InterruptedException {
        String output = kafkaTool(
                "org.apache.kafka.tools.ProducerPerformance",
                "--topic",
                topic,
                "--num-records",
                Long.toString(records),
                "--record-size",
                Integer.toString(recordSize),
                "--throughput",
                "-1",
                "--producer-props",
                "bootstrap.servers=" + bootstrapServers,
                "acks=all",
                "enable.idempotence=true",
                "compression.type=none",
                "linger.ms=10",
                "batch.size=1048576",
                "max.request.size=2097152");
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        Matcher m = PERF_MB_S.matcher(last);
        if (!m.find()) {
            throw new LauncherException("ProducerPerformance printed no summary line: " + last);
        }
        return Double.parseDouble(m.group(1));
    }

    /** The bench's topics go when it ends (several GB at 224 px), through Kafka's own TopicCommand. */
    private void deleteTopics(String regex) throws IOException, InterruptedException {
        kafkaTool(
                "org.apache.kafka.tools.TopicCommand",
                "--bootstrap-server",
                bootstrapServers,
                "--delete",
                "--topic",
                regex);
    }

    /** One of Kafka's own tools, in its own JVM; returns what it printed. */
    private String kafkaTool(String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", kafkaClasspath));
        if (log4jConfig != null) {
            command.add("-Dlog4j2.configurationFile=" + log4jConfig);
        }
        command.add(mainClass);
        command.addAll(List.of(args));
        return run(command);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new LauncherException(command.get(command.indexOf("-jar") >= 0 ? command.indexOf("-jar") + 1 : 3)
                    + " failed: " + out.strip());
        }
        return out;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static long sum(JsonNode counts) {
        long total = 0;
        for (JsonNode n : counts) {
            total += n.asLong();
        }
        return total;
    }

    private static String fmt(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}
