package org.kafkatrain.launcher;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the services answer: the local stack's ports, or where a user points. A command brings up the local stack's
 * services it needs only when they are the local ones (no {@code --*-url} given).
 */
final class Services {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = "--trainer-url",
            defaultValue = "http://127.0.0.1:${env:TRAINER_PORT:-8081}",
            description = "trainer-service (default: ${DEFAULT-VALUE})")
    String trainerUrl;

    @Option(
            names = "--metrics-url",
            defaultValue = "http://127.0.0.1:${env:METRICS_PORT:-8082}",
            description = "metrics-stream (default: ${DEFAULT-VALUE})")
    String metricsUrl;

    @Option(
            names = "--inference-url",
            defaultValue = "http://127.0.0.1:${env:INFERENCE_PORT:-8083}",
            description = "inference-service (default: ${DEFAULT-VALUE})")
    String inferenceUrl;

    /** Whether the command talks to the local stack's {@code service} (its URL option not given). */
    boolean local(String urlOption) {
        return command == null || !command.commandLine().getParseResult().hasMatchedOption(urlOption);
    }

    ServiceClient trainer() {
        return new ServiceClient("trainer-service", trainerUrl);
    }

    ServiceClient inference() {
        return new ServiceClient("inference-service", inferenceUrl);
    }

    ServiceClient metrics() {
        return new ServiceClient("metrics-stream", metricsUrl);
    }
}
