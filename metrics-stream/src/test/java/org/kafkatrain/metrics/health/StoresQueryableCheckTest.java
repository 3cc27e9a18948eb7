package org.kafkatrain.metrics.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StoresQueryableCheckTest {

    @ParameterizedTest
    @EnumSource(KafkaStreams.State.class)
    void upOnlyWhileRunning(KafkaStreams.State state) {
        HealthCheckResponse response = StoresQueryableCheck.of(state);

        HealthCheckResponse.Status expected =
                state == KafkaStreams.State.RUNNING ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN;
        assertThat(response.getStatus()).isEqualTo(expected);
        assertThat(response.getData())
                .hasValueSatisfying(data -> assertThat(data).containsEntry("state", state.name()));
    }
}
