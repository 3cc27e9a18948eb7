package org.kafkatrain.contracts.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Map;

class KafkaSecurityTest {
    /** What Quarkus's default-kafka-broker map holds when KAFKA_* variables are set, plus stray KAFKA_PORT-like ones. */
    private static final Map<String, Object> KAFKA_CONFIG = Map.of(
            "bootstrap.servers", "b:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.truststore.type", "PEM",
            "ssl.truststore.location", "/etc/ca.crt",
            "port", "29092",
            "group.id", "quarkus-app");

    @Test
    void picksTheSecuritySettingsOnly() {
        assertThat(KafkaSecurity.of(KAFKA_CONFIG))
                .containsOnlyKeys(
                        "security.protocol",
                        "sasl.mechanism",
                        "sasl.jaas.config",
                        "ssl.truststore.type",
                        "ssl.truststore.location");
    }

    @Test
    void addsThemToAClientsOwnSettings() {
        Map<String, Object> client =
                KafkaSecurity.with(KAFKA_CONFIG, Map.of("bootstrap.servers", "x:1", "acks", "all"));
        assertThat(client)
                .containsEntry("bootstrap.servers", "x:1")
                .containsEntry("acks", "all")
                .containsEntry("security.protocol", "SASL_SSL")
                .doesNotContainKeys("port", "group.id");
        assertThat(KafkaSecurity.of(Map.of("bootstrap.servers", "b:9092"))).isEmpty();
    }
}
