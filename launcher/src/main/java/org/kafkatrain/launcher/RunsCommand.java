package org.kafkatrain.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.runs.CheckpointObject;
import org.kafkatrain.contracts.runs.RunOverride;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunSpecs;
import org.kafkatrain.contracts.runs.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code runs}: the runs trainer-service knows (running here, or with checkpoints in the bucket), and a run's checkpoints. */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "Lists runs: state, epoch, step, best val top-1 and last checkpoint.",
        subcommands = {RunsCommand.Show.class, RunsCommand.Compare.class, RunsCommand.Checkpoints.class})
final class RunsCommand implements Callable<Integer> {
    @Mixin
    Services services;

    @Override
    public Integer call() {
        List<RunStatus> runs = services.trainer()
                .get("/runs", new TypeReference<List<RunStatus>>() {})
                .orElse(List.of());
        if (runs.isEmpty()) {
            System.out.println("no runs yet: ./kafka-train train --help");
            return 0;
        }
        List<List<String>> rows = runs.stream()
                .map(r -> List.of(
                        r.runId(),
                        r.state().name(),
                        Integer.toString(r.epoch()),
                        Long.toString(r.step()),
                        bestValCell(metricsEpochs(services, r.runId()), r.lastValTop1()),
                        Tables.text(r.lastCheckpoint())))
                .toList();
        System.out.print(
                Tables.render(List.of("run", "state", "epoch", "step", "best val top-1 %", "last checkpoint"), rows));
        return 0;
    }

    /**
     * The best val top-1 over the run's epochs from metrics-stream. Without them (metrics-stream away, or still
     * restoring its state after a start) the trainer's last val top-1 stands in, marked as such: it is not the best.
     */
    static String bestValCell(List<TrainingMetrics> epochs, Double lastValTop1) {
        Double best = RunComparison.bestValTop1(epochs);
        if (best != null) {
            return percent(best);
        }
        return lastValTop1 == null ? "-" : percent(lastValTop1) + " (last)";
    }

    private static List<TrainingMetrics> metricsEpochs(Services services, String runId) {
        try {
            return epochs(services, runId);
        } catch (LauncherException e) {
            return List.of();
        }
    }

    private static List<TrainingMetrics> epochs(Services services, String runId) {
        return services.metrics()
                .get("/runs/" + runId + "/epochs", new TypeReference<List<TrainingMetrics>>() {})
                .orElse(List.of());
    }

    private static RunSpec config(Services services, String runId) {
        return services.trainer()
                .get("/runs/" + runId + "/config", new TypeReference<JsonNode>() {})
                .map(RunSpecs::read)
                .orElseThrow(() -> new LauncherException("no run " + runId + " (no run.json in the bucket)"));
    }

    private static String percent(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "A run: its status, hyperparameters, epoch table (from metrics-stream) and checkpoints.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_ID")
        String runId;

        @Mixin
        Services services;

        @Override
        public Integer call() {
            RunStatus status = services.trainer()
                    .get("/runs/" + runId, new TypeReference<RunStatus>() {})
                    .orElseThrow(() -> new LauncherException("no run " + runId));
            System.out.printf(
                    Locale.ROOT,
                    "%s  %s  epoch %d%s  step %d  last val top-1 %s%n%n",
                    runId,
                    status.state(),
                    status.epoch(),
                    status.epochs() > 0 ? "/" + status.epochs() : "",
                    status.step(),
                    percent(status.lastValTop1()));
            List<List<String>> settings = RunComparison.settings(List.of(config(services, runId))).stream()
                    .map(row -> row.subList(0, 2))
                    .toList();
            System.out.print(Tables.render(List.of("setting", "value"), settings));
            System.out.println();
            List<RunOverride> overrides = services.trainer()
                    .get("/runs/" + runId + "/overrides", new TypeReference<List<RunOverride>>() {})
                    .orElse(List.of());
            for (RunOverride o : overrides) {
                System.out.printf(
                        Locale.ROOT,
                        "resumed %s with --override: %s%n",
                        Instant.ofEpochMilli(o.at()).truncatedTo(ChronoUnit.SECONDS),
                        String.join(", ", o.changes()));
            }
            if (!overrides.isEmpty()) {
                System.out.println();
            }
            System.out.print(services.metrics().getText("/runs/" + runId + "/epochs/table"));
            System.out.println();
            return Checkpoints.print(services, runId);
        }
    }

    @Command(
            name = "compare",
            mixinStandardHelpOptions = true,
            description = "Two or more runs: the hyperparameters side by side (* where they differ) and the val "
                    + "loss, top-1 and top-5 of each epoch.")
    static final class Compare implements Callable<Integer> {
        @Parameters(arity = "2..*", paramLabel = "RUN_ID")
        List<String> runIds;

        @Mixin
        Services services;

        @Override
        public Integer call() {
            List<RunSpec> configs =
                    runIds.stream().map(id -> config(services, id)).toList();
            List<String> header = new ArrayList<>(List.of("setting"));
            header.addAll(runIds);
            header.add("differs");
            System.out.print(Tables.render(header, RunComparison.settings(configs)));
            System.out.println();
            List<List<TrainingMetrics>> epochs =
                    runIds.stream().map(id -> epochs(services, id)).toList();
            System.out.print(Tables.render(RunComparison.valHeader(runIds), RunComparison.valEpochs(epochs)));
            return 0;
        }
    }

    @Command(
            name = "checkpoints",
            mixinStandardHelpOptions = true,
            description = "A run's checkpoint objects in the bucket, with their metadata.")
    static final class Checkpoints implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_ID")
        String runId;

        @Mixin
        Services services;

        @Override
        public Integer call() {
            return print(services, runId);
        }

        static int print(Services services, String runId) {
            List<CheckpointObject> objects = services.trainer()
                    .get("/runs/" + runId + "/checkpoints", new TypeReference<List<CheckpointObject>>() {})
                    .orElse(List.of());
            System.out.print(
                    objects.isEmpty() ? "no checkpoints for run " + runId + "\n" : Tables.checkpoints(objects));
            return 0;
        }
    }
}
