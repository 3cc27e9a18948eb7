package org.kafkatrain.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A broker away for a while costs a pause, not the run (issue 12: a 15 s broker stop used to fail the run). */
class KafkaPatienceTest {
    private final List<String> heard = new ArrayList<>();

    @Test
    void retriableFailuresAreWaitedOutAndTheWaitIsReported() {
        int[] calls = {0};
        String result = new KafkaPatience(Duration.ofSeconds(30), heard::add).call("end offsets of t", () -> {
            if (++calls[0] < 3) {
                throw new TimeoutException("Timeout expired while fetching topic metadata");
            }
            return "offsets";
        });
        assertThat(result).isEqualTo("offsets");
        assertThat(heard).hasSize(3);
        assertThat(heard.get(0))
                .startsWith("waiting for Kafka: end offsets of t")
                .contains("fetching topic metadata");
        assertThat(heard.get(2)).startsWith("Kafka answered again after");
    }

    @Test
    void patienceRunsOutWithTheReason() {
        assertThatThrownBy(() -> new KafkaPatience(Duration.ofMillis(300), heard::add).call("partitions of t", () -> {
                    throw new TimeoutException("broker gone");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Kafka did not answer partitions of t within PT0.3S: broker gone");
        assertThat(heard).isNotEmpty();
    }

    @Test
    void aNonRetriableFailureIsNotWaitedFor() {
        assertThatThrownBy(() -> new KafkaPatience(Duration.ofMinutes(5), heard::add).call("x", () -> {
                    throw new IllegalStateException("topic t does not exist");
                }))
                .hasMessage("topic t does not exist");
        assertThat(heard).isEmpty();
    }
}
