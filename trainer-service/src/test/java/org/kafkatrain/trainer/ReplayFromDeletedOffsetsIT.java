package org.kafkatrain.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.RecordLimits;
import org.kafkatrain.fixtures.TrainingData;
import org.kafkatrain.testing.LocalStack;
import org.kafkatrain.testing.LocalStackExtension;
import org.kafkatrain.trainer.data.DeadLetterLedger;
import org.kafkatrain.trainer.data.ImageSource;
import org.kafkatrain.trainer.data.IntakeTally;
import org.kafkatrain.trainer.data.RecordDecoder;
import org.kafkatrain.trainer.kafka.KafkaClients;
import org.kafkatrain.trainer.kafka.KafkaImageSource;
import org.kafkatrain.trainer.kafka.KafkaPatience;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * An epoch (or a resume) whose start offsets retention has deleted cannot be replayed as checkpointed: the reader
 * must say so, not jump to the log end and train on fewer samples (issue 12). On the real broker, with
 * {@code deleteRecords}.
 */
@ExtendWith(LocalStackExtension.class)
class ReplayFromDeletedOffsetsIT {
    @Test
    void readingFromDeletedOffsetsFailsWithTheReasonInsteadOfSkippingSilently() throws Exception {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrapServers();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String topic = "it." + id + ".train";
        TrainingData.publish(
                bootstrap, "deleted-" + id, topic, "it." + id + ".val", 10, 1); // 100 images: 2 records of 50
        ImageSource source = new KafkaImageSource(
                new KafkaClients(bootstrap, 64, Map.of()),
                "it-" + id,
                topic,
                null,
                new RecordDecoder(new ImageRecordCodec(RecordLimits.DEFAULT.withNumClasses(10)), 28, 28, 1, null),
                null,
                new DeadLetterLedger(),
                new IntakeTally(),
                new KafkaPatience(Duration.ZERO, w -> {}));
        try (source) {
            Map<Integer, Long> start = source.beginning();
            Map<Integer, Long> end = source.end();
            assertThat(source.read(start, end, s -> {}, () -> false)).isEqualTo(100);

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            long[] seen = {0};
            assertThatThrownBy(() -> source.read(start, end, s -> seen[0]++, () -> false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(topic + "-0")
                    .hasMessageContaining("no longer in the log");
            assertThat(seen[0]).as("nothing trained from a partial epoch").isZero();
        }
    }
}
