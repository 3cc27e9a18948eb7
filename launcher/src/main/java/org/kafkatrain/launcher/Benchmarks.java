package org.kafkatrain.launcher;

import org.kafkatrain.contracts.bench.BenchResults;
import org.kafkatrain.stack.Stack;
import org.kafkatrain.stack.StackSettings;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks of {@code ./kafka-train bench}, each with the local stack it needs, each in a JVM of its own with a
 * fixed heap touched up front (BENCH_JVM_OPTS) so that RSS changes show native memory, not heap growth. Their
 * settings come from the BENCH_* variables ({@code launcher/help/bench.txt}); with a results file, each appends its
 * figures there for the report.
 */
final class Benchmarks {
    static final List<String> ALL =
            List.of("ingest", "trainer", "compute", "checkpoint", "feed", "scale", "metrics", "inference");

    private final Stack stack;
    private final StackSettings settings;
    private final Path results;
    /** Whether the benchmarks module and what it runs were built in this run: a benchmark measures the sources as they are. */
    private boolean built;

    /** @param results where the figures go, or null: only printed */
    Benchmarks(Stack stack, Path results) {
        this.stack = stack;
        this.settings = stack.settings();
        this.results = results;
    }

    void run(String which) {
        if (!built) {
            // before any service starts from what it builds (inference-service's application)
            stack.repository().rebuild("benchmarks");
            built = true;
        }
        switch (which) {
            case "ingest" -> ingest();
            case "trainer" -> {
                stack.kafka();
                main(
                        "TrainerBench",
                        env("BENCH_TRAINER_STEPS", "2000"),
                        env("BENCH_TRAINER_BATCH", "8"),
                        env("BENCH_TRAINER_ROUNDS", "10"));
            }
            case "compute" -> compute();
            case "pytorch" -> pytorch();
            case "checkpoint" -> {
                stack.start();
                main("CheckpointStallBench", env("BENCH_CHECKPOINT_ROUNDS", "5"), env("BENCH_CHECKPOINT_BATCH", "32"));
            }
            case "feed" -> {
                stack.kafka();
                main("FeedBench", env("BENCH_FEED_IMAGES", "3000"), env("BENCH_FEED_THREADS", "1,2"));
            }
            case "scale" -> // 1 replica against 2 data-parallel ones (a process and a core each), Gloo on loopback
                main(
                        "ScaleBench",
                        env("BENCH_SCALE_STEPS", "20"),
                        env("BENCH_SCALE_BATCH", "32"),
                        env("BENCH_SCALE_SIZE", "28"));
            case "metrics" -> {
                stack.kafka();
                main("MetricsBench", env("BENCH_METRICS_EVENTS", "60000"), "20");
            }
            case "inference" -> inference();
            case "all" -> ALL.forEach(this::run);
            default ->
                throw new LauncherException("bench takes ingest, trainer, compute, pytorch, checkpoint, feed,"
                        + " scale, metrics, inference or all");
        }
    }

    /** The report's sequence: the single-shot benchmarks (scale, metrics) REPORT_REPEATS times, for medians. */
    void forReport() {
        run("ingest");
        run("trainer");
        run(settings.env("REPORT_PYTHON", "").isEmpty() ? "compute" : "pytorch");
        run("checkpoint");
        run("feed");
        for (int r = 0; r < Integer.parseInt(env("REPORT_REPEATS", "3")); r++) {
            run("scale");
            run("metrics");
        }
        run("inference");
    }

    private void ingest() {
        stack.kafka();
        List<String> args = new ArrayList<>(List.of(
                "--ingest-jar", stack.repository().application("ingest-service").toString(),
                "--kafka-classpath", stack.repository().classpath("local-stack/kafka"),
                "--log4j-config",
                        stack.repository()
                                .root()
                                .resolve("local-stack/kafka/log4j2.properties")
                                .toString(),
                "--bootstrap-servers", settings.bootstrapServers()));
        if (results != null) {
            args.addAll(List.of("--results", results.toString()));
        }
        int rc = new CommandLine(new BenchIngestCommand()).execute(args.toArray(String[]::new));
        if (rc != 0) {
            throw new LauncherException("bench ingest failed (exit " + rc + ")");
        }
    }

    /** ResNet-50 step rates per compute setting, at BENCH_COMPUTE_SIZE, or at the two standard settings. */
    private void compute() {
        String size = env("BENCH_COMPUTE_SIZE", "");
        if (!size.isEmpty()) {
            compute(
                    size,
                    env("BENCH_COMPUTE_BATCH", "32"),
                    env("BENCH_COMPUTE_STEPS", "20"),
                    env("BENCH_COMPUTE_ROUNDS", "6"));
        } else {
            eachComputeSize((s, batch, steps) -> compute(s, batch, steps, env("BENCH_COMPUTE_ROUNDS", "6")));
        }
    }

    private void compute(String size, String batch, String steps, String rounds) {
        main("ComputeBench", steps, batch, rounds, size, env("BENCH_COMPUTE_VARIANTS", ""));
    }

    /** compute and tools/pytorch_compute_bench.py take turns, a round (a process) each, so rounds pair up. */
    private void pytorch() {
        String python = env("REPORT_PYTHON", "");
        if (python.isEmpty()) {
            throw new LauncherException("bench pytorch needs REPORT_PYTHON: a Python with torch and torchvision");
        }
        String size = env("BENCH_COMPUTE_SIZE", "");
        if (!size.isEmpty()) {
            againstPyTorch(python, size, env("BENCH_COMPUTE_BATCH", "32"), env("BENCH_COMPUTE_STEPS", "20"));
        } else {
            eachComputeSize((s, batch, steps) -> againstPyTorch(python, s, batch, steps));
        }
    }

    private void againstPyTorch(String python, String size, String batch, String steps) {
        for (int r = 0; r < Integer.parseInt(env("BENCH_COMPUTE_ROUNDS", "6")); r++) {
            compute(size, batch, steps, "1");
            List<String> command = new ArrayList<>(List.of(
                    python,
                    stack.repository()
                            .root()
                            .resolve("tools/pytorch_compute_bench.py")
                            .toString(),
                    steps,
                    batch,
                    "1",
                    size));
            String variants = env("BENCH_COMPUTE_VARIANTS", "");
            if (!variants.isEmpty()) {
                command.add(variants);
            }
            check(
                    Foreground.run(
                            command, environment(Map.of()), stack.repository().root()),
                    "pytorch_compute_bench.py");
        }
    }

    /**
     * 28 px batch 32 and 224 px batch 8. At 224 px a round has 8 steps: rounds of 4, under 2 s, were too short to
     * compare with PyTorch.
     */
    private void eachComputeSize(ComputeSize bench) {
        bench.at("28", "32", env("BENCH_COMPUTE_STEPS", "20"));
        bench.at("224", "8", env("BENCH_COMPUTE_STEPS", "8"));
    }

    @FunctionalInterface
    private interface ComputeSize {
        void at(String size, String batch, String steps);
    }

    /** The same requests with the service restarted per batching setting, so that the lines compare side by side. */
    private void inference() {
        for (String batch : env("BENCH_INFERENCE_BATCHES", "1 8 32").trim().split("\\s+")) {
            stack.stopInference();
            stack.inference(List.of("-Dinference.batching.max-images=" + batch));
            mainWith(
                    Map.of("INFERENCE_URL", "http://127.0.0.1:" + settings.inferencePort()),
                    "InferenceBench",
                    "max=" + batch,
                    env("BENCH_INFERENCE_REQUESTS", "300"),
                    env("BENCH_INFERENCE_RECORDS", "600"));
        }
        stack.stopInference();
    }

    /** The benchmarks this class runs, by the simple names of their main classes in org.kafkatrain.bench. */
    static final List<String> MAINS = List.of(
            "TrainerBench",
            "CheckpointStallBench",
            "FeedBench",
            "ScaleBench",
            "MetricsBench",
            "ComputeBench",
            "InferenceBench");

    private void main(String bench, String... args) {
        mainWith(Map.of(), bench, args);
    }

    /** A benchmark's main class (org.kafkatrain.bench) in a JVM of its own, from the benchmarks module. */
    private void mainWith(Map<String, String> extra, String bench, String... args) {
        if (!MAINS.contains(bench)) {
            throw new IllegalArgumentException("no benchmark main " + bench + " (Benchmarks.MAINS)");
        }
        List<String> command = new ArrayList<>(List.of(Foreground.java()));
        command.addAll(List.of(
                env("BENCH_JVM_OPTS", "-Xms2g -Xmx2g -XX:+AlwaysPreTouch").split("\\s+")));
        command.addAll(List.of("-cp", stack.repository().mainClasspath("benchmarks"), "org.kafkatrain.bench." + bench));
        for (String arg : args) {
            if (!arg.isEmpty()) {
                command.add(arg);
            }
        }
        check(Foreground.run(command, environment(extra), stack.repository().root()), bench);
    }

    private Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = settings.childEnvironment();
        if (results != null) {
            env.put(BenchResults.ENV, results.toString());
        }
        env.putAll(extra);
        return env;
    }

    private String env(String name, String fallback) {
        return settings.env(name, fallback);
    }

    private static void check(int exit, String what) {
        if (exit != 0) {
            throw new LauncherException(what + " failed (exit " + exit + ")");
        }
    }
}
