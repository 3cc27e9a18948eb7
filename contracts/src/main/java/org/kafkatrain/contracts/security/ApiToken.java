package org.kafkatrain.contracts.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer token that guards what changes state (starting and stopping runs, uploads). Reads stay open. With no
 * token configured every request passes: the local stack listens on loopback only, where that is the convenient
 * default; the Helm chart always sets one.
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
        if (configured.isEmpty() || configured.get().isBlank()) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, configured.get().getBytes(StandardCharsets.UTF_8));
    }

    /** The header a client sends, when the environment gives it a token. */
    public static Optional<String> authorizationFromEnvironment() {
        return Optional.ofNullable(System.getenv(ENV)).filter(t -> !t.isBlank()).map(t -> BEARER + t);
    }
}
