package org.kafkatrain.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.store.LatestCheckpoint;

class RunManagerTest {

    @Test
    void aRunInTheBucketHasFinishedOnceItsLastEpochIsCheckpointed() {
        // Epochs count from 0 in checkpoints: epoch 2 complete is the end of a 3-epoch run.
        assertThat(RunManager.finished(latest(2, true), 3)).isTrue();
        assertThat(RunManager.finished(latest(2, false), 3))
                .as("mid-epoch checkpoint of the last epoch")
                .isFalse();
        assertThat(RunManager.finished(latest(1, true), 3)).as("an epoch left").isFalse();
        assertThat(RunManager.finished(latest(2, true), 5))
                .as("resumed with more epochs")
                .isFalse();
        assertThat(RunManager.finished(latest(2, true), 0))
                .as("no run.json: epochs unknown")
                .isFalse();
    }

    private static LatestCheckpoint latest(int epoch, boolean complete) {
        return new LatestCheckpoint(
                1, "r", "runs/r/epoch-0002.tar", epoch, complete, 100, 0.5, 80.0, 99.0, null, 80.0, 0, null);
    }
}
