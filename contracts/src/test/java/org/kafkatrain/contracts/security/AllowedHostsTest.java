package org.kafkatrain.contracts.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

class AllowedHostsTest {
    private static final AllowedHosts LOOPBACK = AllowedHosts.of(Arrays.asList(AllowedHosts.DEFAULT.split(",")));

    @Test
    void loopbackNamesWithAndWithoutPortsAreAdmitted() {
        assertThat(LOOPBACK.admitsHost("localhost:8081")).isTrue();
        assertThat(LOOPBACK.admitsHost("LOCALHOST")).isTrue();
        assertThat(LOOPBACK.admitsHost("127.0.0.1:8081")).isTrue();
        assertThat(LOOPBACK.admitsHost("[::1]:8081")).isTrue();
        assertThat(LOOPBACK.admitsHost("::1")).isTrue();
    }

    @Test
    void otherNamesAndNoHostAreRefused() {
        assertThat(LOOPBACK.admitsHost("attacker.example")).isFalse();
        assertThat(LOOPBACK.admitsHost("attacker.example:8081")).isFalse();
        assertThat(LOOPBACK.admitsHost("localhost.attacker.example")).isFalse();
        assertThat(LOOPBACK.admitsHost("127.0.0.2")).isFalse();
        assertThat(LOOPBACK.admitsHost(null)).isFalse();
    }

    @Test
    void originsOfOtherHostsAndOpaqueOriginsAreRefused() {
        assertThat(LOOPBACK.admitsOrigin(null)).isTrue();
        assertThat(LOOPBACK.admitsOrigin("http://127.0.0.1:8082")).isTrue();
        assertThat(LOOPBACK.admitsOrigin("http://localhost:3000")).isTrue();
        assertThat(LOOPBACK.admitsOrigin("http://attacker.example")).isFalse();
        assertThat(LOOPBACK.admitsOrigin("null")).isFalse();
        assertThat(LOOPBACK.admitsOrigin("::not a uri")).isFalse();
    }

    @Test
    void configuredNamesAndTheWildcard() {
        AllowedHosts compose = AllowedHosts.of(List.of("localhost", " trainer ", "kafka-train.example.org"));
        assertThat(compose.admitsHost("trainer:8081")).isTrue();
        assertThat(compose.admitsHost("Kafka-Train.example.org")).isTrue();
        assertThat(compose.admitsOrigin("https://kafka-train.example.org")).isTrue();
        assertThat(compose.admitsHost("127.0.0.1")).isFalse();
        assertThat(AllowedHosts.of(List.of("*")).admitsHost("anything:1")).isTrue();
    }
}
