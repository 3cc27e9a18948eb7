package org.kafkatrain.contracts.security;

import java.util.Map;
import java.util.TreeMap;

/**
 * The settings a Kafka client needs to reach a secured cluster (SASL, TLS), picked from a service's {@code kafka.*}
 * configuration. Quarkus hands every service that configuration as the {@code default-kafka-broker} map (from
 * {@code kafka.*} properties and {@code KAFKA_*} environment variables) and applies it to its messaging channels;
 * this is how the plain clients (admin, replay consumer, ingest producer) get the same, without each service
 * listing the keys again.
 */
public final class KafkaSecurity {
    private KafkaSecurity() {}

    /** The entries of {@code kafkaConfig} that are security settings: {@code security.protocol}, {@code sasl.*}, {@code ssl.*}. */
    public static Map<String, Object> of(Map<String, Object> kafkaConfig) {
        Map<String, Object> security = new TreeMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                security.put(key, value);
            }
        });
        return security;
    }

    /** {@code config} with the security settings added, for building a client. */
    public static Map<String, Object> with(Map<String, Object> kafkaConfig, Map<String, Object> config) {
        Map<String, Object> all = new TreeMap<>(config);
        all.putAll(of(kafkaConfig));
        return all;
    }
}
