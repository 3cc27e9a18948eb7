package org.kafkatrain.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.runs.RunConfig;
import org.kafkatrain.trainer.config.TrainerConfig;
import org.kafkatrain.trainer.data.Stripe;

import java.time.Duration;

/** A trainer's part in a run: its rank's stripe, one process whatever its rank, and a rank the run does not have. */
class ReplicasTest {
    @Test
    void theRunsCountAndTheTrainersRankMakeTheStripe() throws Exception {
        RunConfig two =
                new ObjectMapper().readValue("{\"runId\":\"r\",\"dataset\":\"d\",\"replicas\":2}", RunConfig.class);
        assertThat(Replicas.of(two, rank(1)).stripe()).isEqualTo(new Stripe(1, 2));
        assertThat(Replicas.of(RunConfig.of("one", "d"), rank(3)).stripe())
                .as("a one-process run on any trainer takes every sample")
                .isEqualTo(Stripe.ALL);
        assertThatThrownBy(() -> Replicas.of(two, rank(2)))
                .hasMessageContaining("rank 2")
                .hasMessageContaining("2 replicas");
    }

    private static TrainerConfig.Replicas rank(int rank) {
        return new TrainerConfig.Replicas() {
            @Override
            public int rank() {
                return rank;
            }

            @Override
            public String rendezvous() {
                return "127.0.0.1:29400";
            }

            @Override
            public Duration timeout() {
                return Duration.ofMinutes(2);
            }
        };
    }
}
