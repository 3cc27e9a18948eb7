package org.kafkatrain.contracts.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer token that guards what changes state (starting and stopping runs, uploads, loading models). Reads stay
 * open. A service with no token configured refuses every state-changing request: loopback is no defence against a
 * web page in the user's browser or another user of the host. The local stack generates one at its first start, the
 * Helm chart generates one, and compose refuses to start without one.
 */
public final class ApiToken {
    /** The configuration property, {@code KAFKA_TRAIN_API_TOKEN} in the environment. */
    public static final String PROPERTY = "kafka-train.api-token";

    public static final String ENV = "KAFKA_TRAIN_API_TOKEN";

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String BEARER = "Bearer ";

    private ApiToken() {}

    /** Whether a request with this method needs the token. */
    public static boolean guards(String method) {
        return !READS.contains(method);
    }

    /**
     * Whether an {@code Authorization} header value carries the configured token; compared in constant time, so
     * the reply's timing says nothing about how much of a guess was right.
     */
    public static boolean admits(Optional<String> configured, String authorization) {
        if (!isSet(configured)) {
            return false;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, configured.get().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a token is configured at all. */
    public static boolean isSet(Optional<String> configured) {
        return configured.filter(t -> !t.isBlank()).isPresent();
    }

    /** The token the environment gives a client, if any. */
    public static Optional<String> fromEnvironment() {
        return Optional.ofNullable(System.getenv(ENV)).filter(t -> !t.isBlank());
    }

    /** The {@code Authorization} header's value that carries {@code token}. */
    public static String bearer(String token) {
        return BEARER + token;
    }
}
