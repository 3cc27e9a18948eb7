package org.kafkatrain.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * docs/cli.md is the launcher's own help, every command's, as picocli renders it. A change to a command fails here
 * until the page is written anew: the rendering lands in target/cli.md, with the command that copies it. It is
 * rendered in a JVM with an empty environment, since defaults such as the services' ports come from it.
 */
class CliDocsTest {
    private static final Path DOCS = Path.of("..", "docs", "cli.md");

    @Test
    void docsCliIsTheHelpOfEveryCommand() throws IOException, InterruptedException {
        Path fresh = Path.of("target", "cli.md").toAbsolutePath();
        Files.createDirectories(fresh.getParent());
        ProcessBuilder renderer = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CliDocsTest.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(fresh.toFile());
        renderer.environment().clear();
        assertThat(renderer.start().waitFor()).as(Files.readString(fresh)).isZero();
        String rendered = Files.readString(fresh, StandardCharsets.UTF_8);
        assertThat(DOCS)
                .as("refresh with: cp launcher/target/cli.md docs/cli.md")
                .exists();
        assertThat(Files.readString(DOCS, StandardCharsets.UTF_8))
                .as("docs/cli.md is stale; refresh with: cp launcher/target/cli.md docs/cli.md")
                .isEqualTo(rendered);
    }

    /** Prints the page: the test runs this in a JVM of its own. */
    public static void main(String[] args) {
        System.out.print(render(KafkaTrain.commandLine()));
    }

    static String render(CommandLine root) {
        StringBuilder md = new StringBuilder("# The `./kafka-train` commands\n\n")
                .append("Every command's `--help`, as the launcher prints it (generated from its picocli commands by")
                .append(" `CliDocsTest`). `ingest` and `faults` hand their arguments to ingest-service's and the fault")
                .append(" suite's own commands, whose help follows theirs; `bench --help` prints")
                .append(" `launcher/help/bench.txt`.\n\n```\n")
                .append(usage(root))
                .append("```\n");
        for (Map.Entry<String, CommandLine> command : root.getSubcommands().entrySet()) {
            if (command.getValue().getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            md.append("\n## ").append(command.getKey()).append("\n\n```\n");
            md.append(usage(command.getValue()));
            for (Map.Entry<String, CommandLine> sub :
                    command.getValue().getSubcommands().entrySet()) {
                md.append("\n").append(usage(sub.getValue()));
            }
            md.append("```\n");
        }
        return md.toString();
    }

    private static String usage(CommandLine command) {
        return command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing() + "\n";
    }
}
