package org.kafkatrain.launcher;

import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.Precision;
import org.kafkatrain.stack.StackCommand;
import org.kafkatrain.stack.StackException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./kafka-train}'s commands. The script only finds Java and builds this on first use; the commands start the
 * local stack's processes they need (local-stack/control), talk to the services, and run the benchmarks.
 */
@Command(
        name = "kafka-train",
        mixinStandardHelpOptions = true,
        version = "kafka-train 0.1.0",
        subcommands = {
            StackCommand.class,
            UpCommand.class,
            IngestCommand.class,
            TrainCommand.class,
            RunsCommand.class,
            DemoCommand.class,
            ServeCommand.class,
            BenchCommand.class,
            BenchIngestCommand.class,
            ReportCommand.class,
            FaultsCommand.class,
            AbuseCommand.class
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
                // one line and exit 1, as every failure of the launcher's
                .setParameterExceptionHandler((e, args) -> {
                    e.getCommandLine().getErr().println("kafka-train: " + e.getMessage() + " (see --help)");
                    return 1;
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    boolean ours = e instanceof LauncherException || e instanceof StackException;
                    cmd.getErr().println("kafka-train: " + (ours ? e.getMessage() : e.toString()));
                    return 1;
                });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed (see --help)");
    }
}
