package org.kafkatrain.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import org.kafkatrain.contracts.runs.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code runs}: the runs trainer-service knows (running here, or with checkpoints in the bucket), and a run's checkpoints. */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "Lists runs: state, epoch, step, last val top-1 and last checkpoint.",
        subcommands = RunsCommand.Checkpoints.class)
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
                        r.lastValTop1() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.lastValTop1()),
                        Tables.text(r.lastCheckpoint())))
                .toList();
        System.out.print(
                Tables.render(List.of("run", "state", "epoch", "step", "val top-1 %", "last checkpoint"), rows));
        return 0;
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
            List<Map<String, Object>> objects = services.trainer()
                    .get("/runs/" + runId + "/checkpoints", new TypeReference<List<Map<String, Object>>>() {})
                    .orElse(List.of());
            System.out.print(
                    objects.isEmpty() ? "no checkpoints for run " + runId + "\n" : Tables.checkpoints(objects));
            return 0;
        }
    }
}
