package org.kafkatrain.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.testing.ProfileConfig;

import java.time.Duration;
import java.util.Map;

/** {@code quarkus:dev} needs no environment once the local stack runs. */
class ProfilesTest {
    @Test
    void devProfileResolvesEveryPropertyWithNoEnvironment() {
        SmallRyeConfig dev = ProfileConfig.load(
                "dev", Map.of("quarkus.uuid", "00000000-0000-0000-0000-000000000000"), MetricsConfig.class);
        assertThat(ProfileConfig.unresolved(dev)).isEmpty();
        assertThat(dev.getValue("kafka.bootstrap.servers", String.class)).isEqualTo("127.0.0.1:9092");
        MetricsConfig metrics = dev.getConfigMapping(MetricsConfig.class);
        assertThat(metrics.stepsTopic()).isEqualTo(Topics.TRAINING_STEPS);
        assertThat(metrics.window().size()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void testProfileRunsOnTopicsOfItsOwn() {
        MetricsConfig metrics = ProfileConfig.load("test", Map.of("quarkus.uuid", "u"), MetricsConfig.class)
                .getConfigMapping(MetricsConfig.class);
        assertThat(metrics.stepsTopic()).isNotEqualTo(Topics.TRAINING_STEPS);
        assertThat(metrics.lastN().emitEvery()).isEqualTo(2);
        assertThat(MetricsConfig.defaults().lastN().emitEvery()).isEqualTo(10);
    }
}
