package org.kafkatrain.launcher;

import picocli.CommandLine.Option;

/** Where the services answer; the launcher script passes its ports on, a user may point elsewhere. */
final class Services {
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
