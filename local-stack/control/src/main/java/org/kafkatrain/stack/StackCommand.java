package org.kafkatrain.stack;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code stack start|stop|status|env}: the local stack's processes, and its addresses for other shells. */
@Command(
        name = "stack",
        mixinStandardHelpOptions = true,
        description = {
            "The local stack: a real Kafka broker (KRaft, 127.0.0.1:KAFKA_PORT, 9092; controller on KAFKA_CONTROLLER_PORT,"
                    + " 9093) and S3 server (127.0.0.1:S3_PORT, 9000; MinIO when a minio binary is on the PATH, S3Proxy"
                    + " otherwise), data under KT_HOME (.local). stop also stops the services; env prints addresses and"
                    + " credentials for eval in another shell; status exits 3 while Kafka or S3 is down."
        })
public final class StackCommand implements Callable<Integer> {
    /** What a shell reads back unquoted; anything else is single-quoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@,+=%-]*");

    @Parameters(paramLabel = "start|stop|status|env")
    String action;

    @Override
    public Integer call() {
        Stack stack = fromEnvironment();
        switch (action) {
            case "start" -> stack.start();
            case "stop" -> stack.stop();
            case "status" -> {
                return stack.status(System.out);
            }
            case "env" ->
                stack.settings()
                        .shellExports()
                        .forEach((name, value) -> System.out.println("export " + name + "=" + quoted(value)));
            default -> throw new StackException("stack needs start, stop, status or env");
        }
        return 0;
    }

    /** The stack of this checkout, as the environment and the working directory describe it. */
    public static Stack fromEnvironment() {
        Repository repository = Repository.current();
        return new Stack(
                StackSettings.of(System.getenv(), repository.root(), Path.of("").toAbsolutePath()), repository);
    }

    static String quoted(String value) {
        return PLAIN.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
    }

    /** Runs a command of the launcher's, a failure as one line {@code kafka-train: <reason>} and exit 1. */
    public static int execute(CommandLine commandLine, String... args) {
        return commandLine
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr()
                            .println("kafka-train: " + (e instanceof StackException ? e.getMessage() : e.toString()));
                    return 1;
                })
                .setParameterExceptionHandler((e, args2) -> {
                    e.getCommandLine().getErr().println("kafka-train: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    /** {@code ./kafka-train stack ...}: this command alone, before the rest of the project is built. */
    public static void main(String[] args) {
        System.exit(execute(new CommandLine(new StackCommand()), args));
    }
}
