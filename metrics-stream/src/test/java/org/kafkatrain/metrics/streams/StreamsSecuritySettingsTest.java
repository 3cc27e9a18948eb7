package org.kafkatrain.metrics.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.kafkatrain.testing.LocalStackResource;

import java.util.Map;

/**
 * A secured cluster's settings, given as {@code kafka.*} ({@code KAFKA_*}) like every other client's, reach Kafka
 * Streams and its dead-letter producer, whichever they are: here an OAUTHBEARER login handler and a TLS setting that
 * no list of known keys names. The local stack is plaintext, which ignores both.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
@TestProfile(StreamsSecuritySettingsTest.OAuthLogin.class)
class StreamsSecuritySettingsTest {
    private static final Map<String, String> SECURITY = Map.of(
            "sasl.login.callback.handler.class",
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
            "ssl.cipher.suites",
            "TLS_AES_256_GCM_SHA384");

    public static class OAuthLogin implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> kafka = new java.util.HashMap<>();
            SECURITY.forEach((key, value) -> kafka.put("kafka." + key, value));
            return kafka;
        }
    }

    @Inject
    StreamsConfig streams;

    @Test
    void everySecuritySettingReachesTheStreamAndItsDeadLetterProducer() {
        assertThat(streams.originals()).containsAllEntriesOf(SECURITY);
        assertThat(DeadLetteringDeserializationHandler.producerConfig(streams.originals()))
                .containsAllEntriesOf(SECURITY);
    }
}
