package org.kafkatrain.faults.abuse;

import org.kafkatrain.faults.abuse.AbusePipeline.Service;
import org.kafkatrain.faults.abuse.Case.Answer;
import org.kafkatrain.faults.abuse.Case.Step;
import org.kafkatrain.testing.LocalStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * {@code ./kafka-train abuse}: a pipeline of its own (broker, S3, trainer-service, metrics-stream, inference-service,
 * ingest's upload server) with small heaps, a Fashion-MNIST subset ingested and one epoch trained so that there is a
 * model to serve, then bad inputs over REST, Kafka and files. After each, every process must be alive, the target's
 * heap and native memory back near their level before, and its next good request served; the answer itself a 4xx, a
 * dead letter with its reason, or a refusal with its reason. Prints the table; exits non-zero when a case fails.
 */
@Command(
        name = "abuse",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The abuse suite: a pipeline of its own with small heaps (512 MB, inference 1 GB), then bad inputs: requests",
            "without the token, from another origin or host, numbers out of range, image and tensor bombs (REST); bad",
            "records on images.train, images.infer, training.steps and training.checkpoints (Kafka); hostile weights,",
            "checkpoints in the bucket and IDX/CIFAR files. Each must be refused (a 4xx, a dead letter or a failed run with",
            "its reason), no process may die, the target's heap and native memory must come back near their level before,",
            "and its next good request must be served. Prints a table (input, target, answer, time, memory after, result)",
            "to stdout and to <home>/report.md; exits 1 when a case fails. CASE: case ids or prefixes (trainer, train, ...)."
        })
public final class AbuseSuite implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "CASE", description = "cases to run, by id or prefix (default: all)")
    List<String> only = new ArrayList<>();

    @Option(names = "--ci", description = "only the CI subset (15 cases, a few minutes)")
    boolean ci;

    @Option(names = "--list", description = "list the cases and exit")
    boolean list;

    @Option(
            names = "--base-port",
            description = "Kafka, controller, S3, trainer, metrics, inference, upload server on this port and the next"
                    + " six (default: 29192, below the ports of outgoing connections)")
    int basePort = 29192;

    @Option(names = "--home", description = "the suite's data folder (default: .local/abuse)")
    Path home;

    @Option(names = "--keep", description = "leave the suite's pipeline running afterwards")
    boolean keep;

    @Option(names = "--per-class", description = "images per class of the model's dataset (default: 10)")
    int perClass = 10;

    @Option(
            names = "--heap-tolerance-mb",
            description = "how far above its level before a case a service's heap may stay (default: 32)")
    long heapToleranceMb = 32;

    @Option(
            names = "--native-tolerance-mb",
            description = "how far above its level before a case a service's native memory may stay (default: 64)")
    long nativeToleranceMb = 64;

    /** What the table shows of one case. */
    record Outcome(Case c, Answer answer, String memory) {
        boolean passed() {
            return answer.passed();
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AbuseSuite()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Predicate<Case> chosen = choose(ci, only);
        if (list) {
            for (Step step : steps()) {
                for (Case c : step.cases()) {
                    if (chosen.test(c)) {
                        System.out.printf("%-28s %-3s %s -> %s%n", c.id(), c.ci() ? "ci" : "", c.input(), c.where());
                    }
                }
            }
            return 0;
        }
        Path dir = home == null ? LocalStack.projectRoot().resolve(".local/abuse") : home;
        long t0 = System.nanoTime();
        List<Outcome> outcomes = run(
                chosen,
                perClass,
                basePort,
                dir,
                keep,
                new Memory.Tolerance(heapToleranceMb << 20, nativeToleranceMb << 20));
        String table = AbuseTable.markdown(outcomes, Duration.ofNanos(System.nanoTime() - t0));
        System.out.println(table);
        Path report = dir.resolve("report.md");
        Files.writeString(report, table);
        System.out.println("[abuse] table written to " + report);
        return outcomes.stream().allMatch(Outcome::passed) ? 0 : 1;
    }

    /** Which cases to run: the CI subset, or those named (by id or prefix), or all. */
    static Predicate<Case> choose(boolean ci, List<String> only) {
        return c -> (!ci || c.ci()) && (only.isEmpty() || only.stream().anyMatch(o -> c.id().startsWith(o)));
    }

    /** Every case, in the order the suite runs them. */
    static List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        steps.addAll(RestCases.trainer());
        steps.addAll(RestCases.ingest());
        steps.addAll(RecordCases.train());
        steps.addAll(RestCases.inference());
        steps.addAll(RecordCases.infer());
        steps.addAll(RecordCases.checkpoints());
        steps.addAll(RecordCases.steps());
        steps.addAll(RestCases.metrics());
        steps.addAll(FileCases.weights());
        steps.addAll(FileCases.checkpoints());
        steps.addAll(FileCases.datasets());
        return steps;
    }

    /** Brings the pipeline up, prepares the model, runs the chosen cases and checks after each. */
    public static List<Outcome> run(
            Predicate<Case> chosen, int perClass, int basePort, Path home, boolean keep, Memory.Tolerance tolerance)
            throws Exception {
        AbusePipeline pipeline = new AbusePipeline(LocalStack.projectRoot(), home, basePort);
        List<Outcome> outcomes = new ArrayList<>();
        try {
            Abuse.say("starting the pipeline under " + pipeline.home() + " (ports " + basePort + "-" + (basePort + 6)
                    + ", heaps: trainer " + pipeline.heap(Service.TRAINER) + ", inference "
                    + pipeline.heap(Service.INFERENCE)
                    + ", ingest " + pipeline.heap(Service.INGEST) + ", metrics 512m)");
            pipeline.up();
            try (Abuse abuse = new Abuse(pipeline)) {
                abuse.prepare(perClass);
                Runner runner = new Runner(abuse, tolerance);
                for (Step step : steps()) {
                    Step selected = step.select(chosen);
                    if (!selected.cases().isEmpty()) {
                        outcomes.addAll(runner.run(selected));
                    }
                }
            }
        } finally {
            if (!keep) {
                pipeline.down();
            }
        }
        return outcomes;
    }

    /** Runs steps and checks the pipeline after each. */
    static final class Runner {
        private static final Duration SETTLE = Duration.ofSeconds(15);
        private static final Duration GOOD_PATIENCE = Duration.ofSeconds(30);

        private final Abuse abuse;
        private final Memory.Tolerance tolerance;
        private final Memory memory = new Memory();
        private final Map<Service, Memory.Reading> levels = new EnumMap<>(Service.class);
        private final Map<Service, Long> pids = new EnumMap<>(Service.class);

        Runner(Abuse abuse, Memory.Tolerance tolerance) {
            this.abuse = abuse;
            this.tolerance = tolerance;
        }

        List<Outcome> run(Step step) throws Exception {
            Service target = step.target();
            if (!abuse.pipeline.dead().isEmpty()) {
                abuse.pipeline.up(); // what an earlier case took down, and the suite could not start again then
            }
            Memory.Reading before = target == null ? null : level(target);
            List<Answer> answers;
            long t0 = System.nanoTime();
            try {
                answers = step.probe().send(abuse, step.cases());
            } catch (Exception | Error e) {
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                answers = step.cases().stream()
                        .map(c -> Answer.failed("-", took, "the suite could not send it: " + e))
                        .toList();
            }
            List<String> after = new ArrayList<>();
            // every process alive; one that died is started again for the next case
            List<Service> dead = abuse.pipeline.dead();
            for (Service s : dead) {
                after.add(s.label + " died");
            }
            if (!dead.isEmpty()) {
                abuse.pipeline.up();
                dead.forEach(levels::remove);
            }
            String memoryText = "-";
            if (target != null && !dead.contains(target)) {
                Optional<String> bad = good(target);
                if (bad.isPresent()) {
                    after.add(bad.get());
                    restart(target, "does not serve a good request");
                } else {
                    Memory.Reading now = settle(target, before);
                    memoryText = now.describe() + " (" + now.growth(before) + ")";
                    if (!tolerance.admits(before, now)) {
                        after.add("memory stays above its level before (" + now.growth(before) + "; tolerance "
                                + tolerance + ")");
                        restart(target, "keeps " + now.growth(before) + " more than before");
                    } else {
                        levels.put(target, now);
                    }
                }
            } else if (target == null) {
                memoryText = "own process";
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < step.cases().size(); i++) {
                Outcome o = new Outcome(step.cases().get(i), answers.get(i).with(after), memoryText);
                outcomes.add(o);
                Abuse.say(AbuseTable.line(o));
            }
            return outcomes;
        }

        /**
         * Starts the service again, and warms it up as the suite's start did, so that the next case is judged on its
         * own and not on what this one left behind.
         */
        private void restart(Service target, String why) throws Exception {
            Abuse.say(target.label + " " + why + ": restarting it for the next case");
            abuse.pipeline.restart(target);
            levels.remove(target);
            abuse.warmUp(target);
        }

        /** The target's next good request, tried for a while: a service busy with what it was sent may catch up. */
        private Optional<String> good(Service target) throws InterruptedException {
            long deadline = System.nanoTime() + GOOD_PATIENCE.toNanos();
            Optional<String> failure = abuse.goodRequest(target);
            while (failure.isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                failure = abuse.goodRequest(target);
            }
            return failure;
        }

        /** The target's memory once back within tolerance of {@code before}, or as it is after {@link #SETTLE}. */
        private Memory.Reading settle(Service target, Memory.Reading before) throws IOException, InterruptedException {
            long pid = pid(target);
            long deadline = System.nanoTime() + SETTLE.toNanos();
            Memory.Reading now = memory.read(pid);
            while (!tolerance.admits(before, now) && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                now = memory.read(pid);
            }
            return now;
        }

        /** The service's memory before a case: where the last case left it, or read now. */
        private Memory.Reading level(Service s) throws IOException {
            long pid = pid(s);
            Memory.Reading known = levels.get(s);
            if (known != null && pids.get(s) == pid) {
                return known;
            }
            Memory.Reading now = memory.read(pid);
            levels.put(s, now);
            pids.put(s, pid);
            return now;
        }

        private long pid(Service s) throws IOException {
            return abuse.pipeline
                    .process(s)
                    .orElseThrow(() -> new IOException(s.label + " is not running"))
                    .pid();
        }
    }
}
