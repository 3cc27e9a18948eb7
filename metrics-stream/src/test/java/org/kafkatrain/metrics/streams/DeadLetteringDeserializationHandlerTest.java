package org.kafkatrain.metrics.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Map;

class DeadLetteringDeserializationHandlerTest {
    /** The stream's configuration on a cluster that wants OAUTHBEARER over TLS. */
    private static final Map<String, Object> SECURED_STREAM = Map.of(
            "bootstrap.servers", "broker:9093",
            "application.id", "kafka-train-metrics",
            "processing.guarantee", "exactly_once_v2",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "OAUTHBEARER",
            "sasl.login.callback.handler.class",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
            "sasl.oauthbearer.token.endpoint.url", "https://idp.example/token",
            "ssl.truststore.type", "PEM",
            "ssl.truststore.location", "/etc/kafka/ca.crt");

    @Test
    void theDeadLetterProducerTakesTheStreamsSecuritySettings() {
        assertThat(DeadLetteringDeserializationHandler.producerConfig(SECURED_STREAM))
                .containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("acks", "all")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "OAUTHBEARER")
                .containsEntry(
                        "sasl.login.callback.handler.class",
                        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler")
                .containsEntry("sasl.oauthbearer.token.endpoint.url", "https://idp.example/token")
                .containsEntry("ssl.truststore.location", "/etc/kafka/ca.crt")
                .doesNotContainKeys("application.id", "processing.guarantee");
    }
}
