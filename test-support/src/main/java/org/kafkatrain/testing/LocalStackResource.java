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
        return Map.of(
                "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "s3.endpoint", stack.s3Endpoint(),
                "s3.access-key", stack.s3AccessKey(),
                "s3.secret-key", stack.s3SecretKey());
    }

    /** The stack outlives one application's restart between test profiles; it stops with the JVM. */
    @Override
    public void stop() {}
}
