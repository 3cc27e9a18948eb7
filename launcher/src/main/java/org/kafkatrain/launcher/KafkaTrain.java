package org.kafkatrain.launcher;

import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.Precision;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The Java half of {@code ./kafka-train}: the commands that talk to the services. The script keeps what only a
 * shell does well (finding Java, building on first use, starting and stopping the local stack's processes) and
 * hands everything else to this.
 */
@Command(
        name = "kafka-train",
        mixinStandardHelpOptions = true,
        version = "kafka-train 0.1.0",
        subcommands = {
            TrainCommand.class,
            RunsCommand.class,
            DemoCommand.class,
            ServeCommand.class,
            BenchIngestCommand.class,
            ReportCommand.class
        })
public final class KafkaTrain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new KafkaTrain());
        commandLine
                .getSubcommands()
                .get("train")
                .getCommandSpec()
                .usageMessage()
                .description(TrainCommand.description());
        return commandLine
                .registerConverter(Precision.class, Precision::parse)
                .registerConverter(AdamKernel.class, AdamKernel::parse)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr()
                            .println(
                                    "kafka-train: " + (e instanceof LauncherException ? e.getMessage() : e.toString()));
                    return 1;
                });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed (see --help)");
    }
}
