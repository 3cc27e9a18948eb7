package org.kafkatrain.contracts.security;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The host names a service answers to. A browser sends the name it resolved in {@code Host}, so a page that rebinds
 * its own DNS name to 127.0.0.1 still shows its own name: checking {@code Host} is what stops DNS rebinding. A
 * state-changing request also names the page that sent it in {@code Origin}; a page of another host may not send one
 * (a no-cors POST needs no preflight, so CORS alone does not stop it).
 */
public final class AllowedHosts {
    /** The configuration property, {@code KAFKA_TRAIN_ALLOWED_HOSTS} in the environment. */
    public static final String PROPERTY = "kafka-train.allowed-hosts";

    /** Loopback only: the local stack's services listen there. Containers and ingresses add their own names. */
    public static final String DEFAULT = "localhost,127.0.0.1,::1";

    /** Admits any host; for a service behind a proxy that checks hosts itself. */
    private static final String ANY = "*";

    private final Set<String> names;

    private AllowedHosts(Set<String> names) {
        this.names = names;
    }

    /** From the configured list (names, no ports). */
    public static AllowedHosts of(List<String> configured) {
        return new AllowedHosts(configured.stream()
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .map(AllowedHosts::bare)
                .collect(Collectors.toUnmodifiableSet()));
    }

    /** Whether a {@code Host} header ("name", "name:port", "[v6]:port") names an allowed host; no header is refused. */
    public boolean admitsHost(String hostHeader) {
        return names.contains(ANY) || hostHeader != null && names.contains(bare(hostOnly(hostHeader.trim())));
    }

    /**
     * Whether a request may come from this {@code Origin}: none (a client that is not a browser) or a page served by
     * an allowed host. The opaque origin {@code null} (sandboxed frames, file pages) is refused.
     */
    public boolean admitsOrigin(String origin) {
        if (origin == null || origin.isBlank()) {
            return true;
        }
        if (names.contains(ANY)) {
            return true;
        }
        try {
            String host = URI.create(origin.trim()).getHost();
            return host != null && names.contains(bare(host));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static String hostOnly(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            return end < 0 ? hostHeader : hostHeader.substring(0, end + 1);
        }
        int colon = hostHeader.indexOf(':');
        // More than one colon is a bare IPv6 address, which has no port
        return colon < 0 || hostHeader.indexOf(':', colon + 1) >= 0 ? hostHeader : hostHeader.substring(0, colon);
    }

    /** Lower case, IPv6 brackets removed: "[::1]" and "::1" are one name. */
    private static String bare(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
    }
}
