package org.kafkatrain.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Quarkus test resource: points the application under test at the tests' own local stack (Dev Services are off,
 * they need Docker). Use with {@code @QuarkusTestResource(LocalStackResource.class)}.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {
    private LocalStack stack;

    @Override
    public Map<String, String> start() {
        stack = LocalStack.ensureRunning();
        // The variables' names too: a shell that ran eval "$(./kafka-train stack env)" exports a user's stack as
        // KAFKA_BOOTSTRAP_SERVERS etc., and the Kafka connectors' default broker configuration reads KAFKA_* names
        // beside kafka.*: these win over the environment, so the application under test never reaches that stack.
        // The application under test requires the stack's token of state-changing requests, as a deployment would;
        // every RestAssured request of the test carries it, unless the test sets an Authorization header of its own
        TokenFilter.carry(stack.apiToken());
        return Map.of(
                "kafka-train.api-token", stack.apiToken(),
                "KAFKA_TRAIN_API_TOKEN", stack.apiToken(),
                "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "s3.endpoint", stack.s3Endpoint(),
                "S3_ENDPOINT", stack.s3Endpoint(),
                "s3.access-key", stack.s3AccessKey(),
                "S3_ACCESS_KEY", stack.s3AccessKey(),
                "s3.secret-key", stack.s3SecretKey(),
                "S3_SECRET_KEY", stack.s3SecretKey());
    }

    /** The stack outlives one application's restart between test profiles; it stops with the JVM. */
    @Override
    public void stop() {}
}
