package org.kafkatrain.trainer.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.store.LatestCheckpoint;
import org.kafkatrain.store.Retention;

import java.util.List;

class RetentionTest {
    private static final String P = "runs/r/";

    @Test
    void keepsTheNewestEpochsAndNeverTheBestNorLatest() {
        List<String> keys = List.of(
                P + "epoch-0000.tar",
                P + "epoch-0001.tar",
                P + "epoch-0002.tar",
                P + "epoch-0003.tar",
                P + "epoch-0004.tar");
        assertThat(Retention.toDelete(keys, 2, latest(P + "epoch-0004.tar", P + "epoch-0001.tar")))
                .containsExactly(P + "epoch-0002.tar", P + "epoch-0000.tar");
    }

    @Test
    void stepCheckpointsDoNotUseUpKeepLastAndGoOnceANewerEpochCheckpointExists() {
        List<String> keys = List.of(
                P + "epoch-0000.tar",
                P + "epoch-0001-step-00000020.tar",
                P + "epoch-0001-step-00000040.tar",
                P + "epoch-0001.tar",
                P + "epoch-0002-step-00000060.tar");
        // keepLast 2 keeps both epoch checkpoints, although two step checkpoints of epoch 1 are newer than epoch 0.
        assertThat(Retention.toDelete(keys, 2, latest(P + "epoch-0002-step-00000060.tar", P + "epoch-0001.tar")))
                .as("epoch 2's step checkpoint resumes the epoch in progress and stays")
                .containsExactly(P + "epoch-0001-step-00000040.tar", P + "epoch-0001-step-00000020.tar");
    }

    @Test
    void stepCheckpointsOfTheFirstEpochStayUntilItsEnd() {
        List<String> keys = List.of(P + "epoch-0000-step-00000020.tar", P + "epoch-0000-step-00000040.tar");
        assertThat(Retention.toDelete(keys, 1, latest(P + "epoch-0000-step-00000040.tar", null)))
                .isEmpty();
    }

    @Test
    void nothingToDeleteWithinTheLimit() {
        assertThat(Retention.toDelete(List.of(P + "epoch-0000.tar"), 3, latest(P + "epoch-0000.tar", null)))
                .isEmpty();
    }

    private static LatestCheckpoint latest(String object, String best) {
        return new LatestCheckpoint(1, "r", object, 0, true, 0, 1.0, 50.0, 90.0, best, 50.0, 0, null);
    }
}
