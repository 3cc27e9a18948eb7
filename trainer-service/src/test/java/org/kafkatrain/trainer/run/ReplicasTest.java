package org.kafkatrain.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.RunField;
import org.kafkatrain.contracts.runs.RunRequest;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunSpecs;
import org.kafkatrain.trainer.config.TrainerConfig;
import org.kafkatrain.trainer.data.Stripe;

import java.time.Duration;

/** A trainer's part in a run: its rank's stripe, one process whatever its rank, and a rank the run does not have. */
class ReplicasTest {
    @Test
    void theRunsCountAndTheTrainersRankMakeTheStripe() throws Exception {
        RunSpec two = spec(RunRequest.forRun("r").with(RunField.REPLICAS, 2));
        assertThat(Replicas.of(two, rank(1)).stripe()).isEqualTo(new Stripe(1, 2));
        assertThat(Replicas.of(spec(RunRequest.forRun("one")), rank(3)).stripe())
                .as("a one-process run on any trainer takes every sample")
                .isEqualTo(Stripe.ALL);
        assertThatThrownBy(() -> Replicas.of(two, rank(2)))
                .hasMessageContaining("rank 2")
                .hasMessageContaining("2 replicas");
    }

    private static RunSpec spec(RunRequest request) {
        return RunSpecs.resolve(request, new RunSpecs.Deployment("t", "v", "cpu", AdamKernel.FUSED));
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
