package org.kafkatrain.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.runs.ReplicaStatus;
import org.kafkatrain.contracts.runs.RunState;
import org.kafkatrain.contracts.runs.RunStatus;

import java.util.List;

class ProgressLineTest {
    @Test
    void beforeTheFirstStepUnknownsShowAsDashesNotAsZeroOrMinusOne() {
        String line = ProgressLine.of(new RunStatus(
                "r", RunState.PENDING, 0, 2, 0, 1e-3, null, null, 0, 0, null, null, null, null, 0, "", null, null));
        assertThat(line)
                .startsWith(
                        "PENDING   epoch 1/2 [                    ] -  step 0  loss -  lr 1.0e-03  - img/s  ETA -  val top-1 -");
        assertThat(line).doesNotContain("0/0").doesNotContain("ETA -1");
    }

    @Test
    void runningLineRoundsWhatPeopleRead() {
        String line = ProgressLine.of(new RunStatus(
                "r",
                RunState.RUNNING,
                1,
                2,
                95,
                1e-3,
                0.58171234,
                99.6,
                1500,
                3000,
                75L,
                "k",
                79.16666666666667,
                99.5,
                0,
                "",
                null,
                null));
        assertThat(line)
                .isEqualTo(
                        "RUNNING   epoch 2/2 [##########          ] 1500/3000  step 95  loss 0.5817  lr 1.0e-03  100 img/s  ETA"
                                + " 1m15s  val top-1 79.17%");
    }

    @Test
    void finishedRunShowsItsLastEpochNotOnePastIt() {
        String line = ProgressLine.of(new RunStatus(
                "r",
                RunState.FINISHED,
                2,
                2,
                188,
                1e-3,
                0.6,
                245.0,
                3000,
                3000,
                0L,
                "k",
                79.2,
                99.7,
                0,
                "",
                null,
                null));
        assertThat(line).startsWith("FINISHED  epoch 2/2 [####################] 3000/3000");
    }

    @Test
    void durationsReadLikeAClock() {
        assertThat(ProgressLine.duration(null)).isEqualTo("-");
        assertThat(ProgressLine.duration(42L)).isEqualTo("42s");
        assertThat(ProgressLine.duration(75L)).isEqualTo("1m15s");
        assertThat(ProgressLine.duration(3700L)).isEqualTo("1h01m");
    }

    @Test
    void aQueuedRunShowsItsPlace() {
        String line = ProgressLine.of(new RunStatus(
                "r", RunState.QUEUED, 0, 2, 0, 1e-3, null, null, 0, 0, null, null, null, null, 0, "", 2, null));
        assertThat(line).startsWith("QUEUED #2 epoch 1/2 [");
    }

    @Test
    void aReplicatedRunShowsItsRankCountAndTheRanksThatLag() {
        RunStatus base = new RunStatus(
                "r", RunState.RUNNING, 0, 2, 14, 1e-3, 0.5, 90.0, 448, 1000, 10L, null, null, null, 0, "", null, null);
        List<ReplicaStatus> together = List.of(
                new ReplicaStatus(0, RunState.RUNNING, 0, 14, 224, 45.0, 0),
                new ReplicaStatus(1, RunState.RUNNING, 0, 13, 208, 45.0, 0));
        assertThat(ProgressLine.of(base.withReplicas(together))).endsWith("  2 replicas");
        List<ReplicaStatus> lagging = List.of(
                new ReplicaStatus(0, RunState.RUNNING, 0, 14, 224, 45.0, 0),
                new ReplicaStatus(1, RunState.FAILED, 0, 12, 192, 45.0, 0));
        assertThat(ProgressLine.of(base.withReplicas(lagging))).endsWith("  2 replicas (rank 1 FAILED at step 12)");
        assertThat(ProgressLine.of(base)).doesNotContain("replicas");
    }
}
