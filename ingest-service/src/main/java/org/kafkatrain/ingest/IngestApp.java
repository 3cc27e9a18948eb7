package org.kafkatrain.ingest;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine;

/** {@code ingest-service ingest <path> ...} publishes a dataset once; {@code ingest-service serve} runs the upload API. */
@TopCommand
@CommandLine.Command(
        name = "ingest-service",
        mixinStandardHelpOptions = true,
        subcommands = {IngestCommand.class, ServeCommand.class},
        description = "Publishes labeled images onto Kafka for kafka-train.")
public class IngestApp {}
