package org.kafkatrain.metrics.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once Kafka Streams is RUNNING, which is when its stores answer queries. Quarkus's own check counts
 * REBALANCING as healthy, right for liveness; but while a restarted instance restores its stores from the
 * changelogs (tens of seconds for a long history) the API can only answer 503, so neither a load balancer nor
 * {@code ./kafka-train} should send it requests yet.
 */
@Readiness
@ApplicationScoped
public class StoresQueryableCheck implements HealthCheck {
    static final String NAME = "Kafka Streams stores queryable";

    @Inject
    KafkaStreams streams;

    @Override
    public HealthCheckResponse call() {
        return of(streams.state());
    }

    static HealthCheckResponse of(KafkaStreams.State state) {
        return HealthCheckResponse.named(NAME)
                .status(state == KafkaStreams.State.RUNNING)
                .withData("state", state.name())
                .build();
    }
}
