package org.kafkatrain.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.store.S3Config;
import org.kafkatrain.trainer.data.DeadLetterLedger;
import org.kafkatrain.trainer.data.ImageSource;
import org.kafkatrain.trainer.data.IntakeTally;
import org.kafkatrain.trainer.data.RecordDecoder;
import org.kafkatrain.trainer.kafka.KafkaClients;
import org.kafkatrain.trainer.kafka.KafkaImageSource;
import org.kafkatrain.trainer.kafka.KafkaPatience;

import java.time.Duration;
import java.util.Map;

/** What the benchmarks use of the local stack that ./kafka-train started for them: its S3 server and its broker. */
final class BenchEnvironment {
    private BenchEnvironment() {}

    /** The bucket of the S3 server the launcher exported (S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY). */
    static CheckpointStore store() {
        Map<String, String> env = System.getenv();
        S3Config config = new SmallRyeConfigBuilder()
                .withMapping(S3Config.class)
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "s3.endpoint", env.getOrDefault("S3_ENDPOINT", "http://127.0.0.1:9000"),
                                "s3.access-key", env.getOrDefault("S3_ACCESS_KEY", "minioadmin"),
                                "s3.secret-key", env.getOrDefault("S3_SECRET_KEY", "minioadmin")),
                        "bench",
                        100))
                .build()
                .getConfigMapping(S3Config.class);
        return new CheckpointStore(config, new ObjectMapper());
    }

    /** Kafka image sources over whole topics: no dead-letter topic, no patience with an absent broker. */
    static ImageSource.Factory sources(KafkaClients kafka, RecordDecoder decoder) {
        return (clientId, topic) -> new KafkaImageSource(
                kafka,
                clientId,
                topic,
                null,
                decoder,
                null,
                new DeadLetterLedger(),
                new IntakeTally(),
                new KafkaPatience(Duration.ZERO, w -> {}));
    }
}
