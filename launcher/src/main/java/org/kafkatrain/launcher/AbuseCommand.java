package org.kafkatrain.launcher;

import org.kafkatrain.stack.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code abuse [CASE...]}: the abuse suite (fault-suite), in a JVM of its own; its options are its own. */
@Command(
        name = "abuse",
        description = "the abuse suite: bad inputs against a pipeline of its own, each refused, nothing down (--help:"
                + " its options)")
final class AbuseCommand implements Callable<Integer> {
    /** Everything after the command, in order, options and --help included: the program's to read. */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        Repository repository = Repository.current();
        List<String> command = new ArrayList<>(List.of(
                Foreground.java(),
                "-cp",
                repository.mainClasspath("fault-suite"),
                "org.kafkatrain.faults.abuse.AbuseSuite"));
        command.addAll(args);
        return Foreground.run(command, System.getenv(), Path.of("").toAbsolutePath());
    }
}
