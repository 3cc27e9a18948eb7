package org.kafkatrain.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.runs.RunState;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.engine.BatchResult;
import org.kafkatrain.trainer.loop.BatchEvent;
import org.kafkatrain.trainer.loop.EpochEvent;
import org.kafkatrain.trainer.loop.EpochMeter;
import org.kafkatrain.trainer.loop.Split;
import org.kafkatrain.trainer.store.ResumePoint;

import java.util.Map;
import java.util.Optional;

class RunStatusBoardTest {
    @Test
    void beforeTheFirstStepNothingIsMadeUp() {
        RunStatusBoard board = new RunStatusBoard("r", 3, 1e-3, () -> 0);
        board.running(ResumePoint.fresh(Map.of(0, 0L)), 1000, 1e-3, Optional.empty());
        RunStatus s = board.current();
        assertThat(s.state()).isEqualTo(RunState.RUNNING);
        assertThat(s.loss()).isNull();
        assertThat(s.imagesPerSec()).isNull();
        assertThat(s.etaSeconds()).isNull();
        assertThat(s.lastValTop1()).isNull();
    }

    @Test
    void eachEventPublishesANewSnapshotAndOldOnesStayAsTheyWere() {
        long[] rejected = {0};
        RunStatusBoard board = new RunStatusBoard("r", 2, 1e-3, () -> rejected[0]);
        board.running(ResumePoint.fresh(Map.of(0, 0L)), 100, 1e-3, Optional.empty());
        RunStatus before = board.current();
        ResumePoint at = ResumePoint.fresh(Map.of(0, 0L)).inEpoch(0, 32, 1, Map.of(0, 0L), Map.of(0, 100L));
        rejected[0] = 2;
        board.onTrainingBatch(new BatchEvent(
                Split.TRAIN, 0, 0, new BatchResult(32, 2.25, 3, 16), 40.0, 1e-3, new EpochMeter(), at, 1, 0));
        RunStatus after = board.current();
        assertThat(before.step()).isZero();
        assertThat(after.step()).isEqualTo(1);
        assertThat(after.loss()).isEqualTo(2.25);
        assertThat(after.epochSamplesDone()).isEqualTo(32);
        assertThat(after.rejected()).isEqualTo(2);
        assertThat(after.etaSeconds()).as("68 + 100 samples left").isNotNull().isGreaterThanOrEqualTo(0);

        EpochMeter val = new EpochMeter();
        val.add(new BatchResult(4, 1.0, 3, 4));
        board.onEpochEnd(new EpochEvent(Split.VAL, 0, 4, val, 1e-3, at));
        assertThat(board.current().lastValTop1()).isEqualTo(75.0);

        board.ended(RunState.FINISHED);
        assertThat(board.current().etaSeconds()).isZero();
        assertThat(board.current().epoch()).isEqualTo(2);
    }
}
