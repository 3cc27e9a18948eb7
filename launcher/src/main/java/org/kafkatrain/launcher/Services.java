package org.kafkatrain.launcher;

import org.kafkatrain.contracts.security.ApiToken;
import org.kafkatrain.stack.StackCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Optional;

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
        return new ServiceClient("trainer-service", trainerUrl, token("--trainer-url"));
    }

    ServiceClient inference() {
        return new ServiceClient("inference-service", inferenceUrl, token("--inference-url"));
    }

    ServiceClient metrics() {
        return new ServiceClient("metrics-stream", metricsUrl, token("--metrics-url"));
    }

    /**
     * {@code KAFKA_TRAIN_API_TOKEN} when set; else, for the local stack's own service, the token the stack generated.
     * The local token never goes to a service a user pointed at: it is a secret of this host.
     */
    private Optional<String> token(String urlOption) {
        return ApiToken.fromEnvironment()
                .or(() -> local(urlOption)
                        ? Optional.of(StackCommand.fromEnvironment().settings().apiToken())
                        : Optional.empty());
    }
}
