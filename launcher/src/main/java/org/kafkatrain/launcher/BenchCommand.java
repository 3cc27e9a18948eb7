package org.kafkatrain.launcher;

import org.kafkatrain.contracts.bench.BenchResults;
import org.kafkatrain.stack.Stack;
import org.kafkatrain.stack.StackCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bench [NAME]}: benchmarks that print figures side by side; {@code launcher/help/bench.txt} says which. */
@Command(name = "bench", description = "benchmarks that print figures side by side (--help: which, and their settings)")
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", defaultValue = "all", paramLabel = "NAME")
    String which;

    @Option(
            names = {"-h", "--help"},
            description = "the benchmarks and their settings")
    boolean help;

    @Override
    public Integer call() {
        Stack stack = StackCommand.fromEnvironment();
        if (help) {
            System.out.print(stack.repository().help("bench.txt"));
            return 0;
        }
        String results = stack.settings().env(BenchResults.ENV, "");
        new Benchmarks(stack, results.isEmpty() ? null : Path.of(results)).run(which);
        return 0;
    }
}
