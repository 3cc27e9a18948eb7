package org.kafkatrain.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.testing.ProfileConfig;

import java.util.Map;

/** {@code quarkus:dev} needs no environment once the local stack runs. */
class ProfilesTest {
    @Test
    void devProfileResolvesEveryPropertyWithNoEnvironment() {
        SmallRyeConfig dev = ProfileConfig.load("dev", Map.of(), IngestConfig.class);
        assertThat(ProfileConfig.unresolved(dev)).isEmpty();
        assertThat(dev.getValue("kafka.bootstrap.servers", String.class)).isEqualTo("127.0.0.1:9092");
        IngestConfig ingest = dev.getConfigMapping(IngestConfig.class);
        assertThat(ingest.upload().trainTopic()).isEqualTo(Topics.IMAGES_TRAIN);
        assertThat(ingest.producer().compression()).isEqualTo("zstd");
        assertThat(ingest.maxRequestBytes()).isEqualTo(2 * 1024 * 1024);
    }
}
