package org.kafkatrain.faults;

import io.minio.MinioClient;
import org.kafkatrain.contracts.runs.RunState;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.testing.LocalStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./kafka-train faults}: runs the pipeline as separate processes (broker, S3 server, trainer-service,
 * metrics-stream, ingest) on its own ports and data folder, injects each scenario's faults, audits what training
 * did, and prints the table. Exits non-zero when any drill fails.
 */
@Command(
        name = "faults",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The fault suite: each scenario ingests a Fashion-MNIST subset onto fresh topics, trains on it while its faults",
            "are injected, then audits the topics and the bucket: every epoch trained each sample exactly once, each epoch",
            "summary once on training.metrics, every bad record in the DLQ with its problem, latest.json always naming a",
            "complete checkpoint that loads, and ingestion losing and duplicating nothing.",
            "Scenarios: trainer-kill metrics-kill broker-stop broker-pause s3-outage bad-records disk-full all-in-one"
        })
public final class FaultSuite implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "SCENARIO", description = "scenarios to run (default: all)")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--rounds", description = "run the chosen scenarios this many times in a row (default: 1)")
    int rounds = 1;

    @Option(names = "--per-class", description = "train images per class (default: 30; val: a quarter of it)")
    int perClass = 30;

    @Option(
            names = "--base-port",
            description = "Kafka, controller, S3, trainer, metrics on this port and the next four (default: 39092)")
    int basePort = 39092;

    @Option(names = "--home", description = "the suite's data folder (default: .local/faults)")
    Path home;

    @Option(names = "--keep", description = "leave the suite's stack running afterwards")
    boolean keep;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FaultSuite()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Scenario> chosen = scenarios.isEmpty()
                ? Arrays.asList(Scenario.values())
                : scenarios.stream().map(Scenario::byLabel).toList();
        List<Audit.Result> results = run(chosen, rounds, perClass, basePort, home, keep);
        String table = ResultTable.markdown(results);
        System.out.println(table);
        Path report = (home == null ? LocalStack.projectRoot().resolve(".local/faults") : home).resolve("report.md");
        Files.writeString(report, table);
        System.out.println("[faults] table written to " + report);
        return results.stream().allMatch(Audit.Result::passed) ? 0 : 1;
    }

    /** Runs the scenarios on a stack of the suite's own and returns one audited result per drill. */
    public static List<Audit.Result> run(
            List<Scenario> scenarios, int rounds, int perClass, int basePort, Path home, boolean keep)
            throws Exception {
        Path root = LocalStack.projectRoot();
        Path dir = home == null ? root.resolve(".local/faults") : home;
        Path tmp = SmallTmpfs.mount(dir.resolve("trainer-tmp"));
        LocalProcesses processes = new LocalProcesses(root, dir, basePort, tmp);
        List<Audit.Result> results = new ArrayList<>();
        try {
            processes.up();
            Map<String, String> env = processes.stackEnv();
            MinioClient s3 = MinioClient.builder()
                    .endpoint(processes.s3Endpoint())
                    .credentials(env.get("S3_ACCESS_KEY"), env.get("S3_SECRET_KEY"))
                    .build();
            Audit audit = new Audit(processes, s3);
            for (int round = 1; round <= rounds; round++) {
                for (Scenario scenario : scenarios) {
                    if (scenario.needsTmpfs() && tmp == null) {
                        results.add(ResultTable.skipped(scenario, SmallTmpfs.whyNot()));
                        continue;
                    }
                    results.add(drill(scenario, round, processes, perClass, s3, audit));
                    System.out.println(ResultTable.line(results.get(results.size() - 1)));
                }
            }
        } finally {
            if (!keep) {
                processes.down();
                SmallTmpfs.unmount(tmp);
            }
        }
        return results;
    }

    private static Audit.Result drill(
            Scenario scenario, int round, LocalProcesses processes, int perClass, MinioClient s3, Audit audit)
            throws Exception {
        Drill d = new Drill(scenario.label, round, processes, perClass, scenario.epochs);
        System.out.printf(
                "[faults] %s round %d: run %s, %d epochs of %d samples%n",
                scenario.label, round, d.runId, d.epochs, d.trainSamples());
        long t0 = System.nanoTime();
        List<String> failures = new ArrayList<>();
        try (LatestWatcher watcher = new LatestWatcher(s3, d.runId)) {
            try {
                for (Fault f : scenario.beforeTraining) {
                    f.inject(d);
                }
                d.startRun();
                for (Fault f : scenario.duringTraining) {
                    f.inject(d);
                }
                RunStatus end = d.awaitEnd();
                if (end.state() != RunState.FINISHED) {
                    failures.add("run ended " + end.state() + ": " + end.message());
                }
            } catch (Exception | Error e) {
                failures.add("drill: " + e.getMessage());
                // What the processes left behind for the next drill: bring everything back up.
                processes.up();
            }
            failures.addAll(watcher.violations());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return audit.audit(scenario.label, d, failures, seconds);
    }
}
