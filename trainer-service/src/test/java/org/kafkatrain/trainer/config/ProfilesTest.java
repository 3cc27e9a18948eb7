package org.kafkatrain.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.Test;
import org.kafkatrain.store.S3Config;
import org.kafkatrain.testing.ProfileConfig;

import java.util.Map;

/** {@code quarkus:dev} needs no environment once the local stack runs; production gets no credentials from the file. */
class ProfilesTest {
    @Test
    void devProfileResolvesEveryPropertyWithNoEnvironment() {
        SmallRyeConfig dev = ProfileConfig.load("dev", Map.of(), TrainerConfig.class, S3Config.class);
        assertThat(ProfileConfig.unresolved(dev)).isEmpty();
        S3Config s3 = dev.getConfigMapping(S3Config.class);
        assertThat(s3.endpoint()).isEqualTo("http://127.0.0.1:9000");
        assertThat(s3.accessKey()).isEqualTo("minioadmin");
        assertThat(dev.getValue("kafka.bootstrap.servers", String.class)).isEqualTo("127.0.0.1:9092");
        assertThat(dev.getConfigMapping(TrainerConfig.class).device()).isEqualTo("auto");
    }

    @Test
    void productionProfileHasNoCredentialsOfItsOwn() {
        assertThatThrownBy(() -> ProfileConfig.load("prod", Map.of(), TrainerConfig.class, S3Config.class))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("s3.access-key");
    }
}
