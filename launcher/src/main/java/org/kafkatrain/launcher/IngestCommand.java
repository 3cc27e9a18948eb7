package org.kafkatrain.launcher;

import org.kafkatrain.stack.Stack;
import org.kafkatrain.stack.StackCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ingest <path> [options]}: ingest-service's picocli command, in a JVM of its own against the local broker
 * (started when it is not running); its options, help and exit status are its own.
 */
@Command(
        name = "ingest",
        description = "publish a labeled image dataset (ingest-service's command; --help: its options)")
final class IngestCommand implements Callable<Integer> {
    /** Everything after the command, in order, options and --help included: the program's to read. */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        boolean help = args.contains("--help") || args.contains("-h");
        if (args.isEmpty()) {
            throw new LauncherException("ingest needs a dataset folder (see ./kafka-train ingest --help)");
        }
        Stack stack = StackCommand.fromEnvironment();
        if (!help) {
            stack.kafka();
        }
        return run(stack, args);
    }

    /**
     * The ingest command in its own JVM. A capped heap on purpose: ingest holds a few chunks and the producer's
     * buffer, and allocates ~300 KB per 224 px image; a heap left to grow faults in fresh pages all run long (at
     * 224 px: 1.7-5.4 s of system time against 0.6-1.3 s with 1g, and 0.7-0.9x the throughput).
     */
    static int run(Stack stack, List<String> args) {
        List<String> command = new ArrayList<>(
                List.of(Foreground.java(), "-Xmx" + stack.settings().env("INGEST_HEAP", "1g")));
        command.addAll(stack.settings().options("INGEST_JAVA_OPTS"));
        command.addAll(List.of(
                "-Dquarkus.http.port=0",
                "-jar",
                stack.repository().application("ingest-service").toString(),
                "ingest"));
        command.addAll(args);
        return Foreground.run(
                command, stack.settings().childEnvironment(), Path.of("").toAbsolutePath());
    }
}
