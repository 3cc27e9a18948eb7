package org.kafkatrain.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code s3.*}: the checkpoint store. Endpoint and credentials have no defaults: production reads them from the
 * environment, and only the {@code %dev} and {@code %test} profiles name the local stack's.
 */
@ConfigMapping(prefix = "s3")
public interface S3Config {
    String endpoint();

    String accessKey();

    String secretKey();

    /**
     * A PEM file of the certificate authorities that signed an {@code https} endpoint's certificate, for an S3
     * server with a private CA; without it the JVM's default trust store decides.
     */
    Optional<String> caFile();

    @WithDefault("us-east-1")
    String region();

    @WithDefault("checkpoints")
    String bucket();

    Retry retry();

    /** Exponential backoff for checkpoint uploads. */
    interface Retry {
        @WithDefault("6")
        int attempts();

        @WithDefault("PT1S")
        Duration initialDelay();
    }
}
