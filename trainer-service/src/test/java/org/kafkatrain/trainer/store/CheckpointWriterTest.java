package org.kafkatrain.trainer.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.store.CheckpointEntries;

import java.util.Map;

/** What a checkpoint holds besides the tensors, where it goes, and that a resume reads back the position it stored. */
class CheckpointWriterTest {
    private final CheckpointWriter writer = new CheckpointWriter(null, "r1", "images.train", "{\"runId\":\"r1\"}", 3);
    private final ResumePoint inEpoch3 = ResumePoint.fresh(Map.of(0, 0L, 1, 5L))
            .inEpoch(3, 640, 120, Map.of(0, 0L, 1, 5L), Map.of(0, 400L, 1, 405L));

    @Test
    void midEpochCheckpointIsNamedByStepAndCarriesNoAccuracy() {
        CheckpointWriter.Plan plan =
                writer.plan(inEpoch3, false, 0.75, 60.0, 90.0, CheckpointEntries.DeadLetters.NONE, 1L);
        assertThat(plan.key()).isEqualTo("runs/r1/epoch-0003-step-00000120.tar");
        assertThat(plan.entries())
                .containsEntry("epoch", 3L)
                .containsEntry("epoch_complete", false)
                .containsEntry("epoch_samples", 640L)
                .containsEntry("step", 120L)
                .containsEntry("loss", 0.75)
                .containsEntry("acc1", null)
                .containsEntry("run", "{\"runId\":\"r1\"}")
                .containsEntry("format", CheckpointEntries.FORMAT);
        assertThat(plan.metadata())
                .containsEntry("epoch", "3")
                .containsEntry("step", "120")
                .containsEntry("loss", "0.750000")
                .containsEntry("acc1", "");
        assertThat(plan.latest().epochComplete()).isFalse();
        assertThat(plan.latest().best()).isNull();
    }

    @Test
    void epochCheckpointBecomesTheBestOnlyWhenItsTop1IsHigher() {
        CheckpointWriter.Plan first =
                writer.plan(inEpoch3, true, 0.5, 60.0, 90.0, CheckpointEntries.DeadLetters.NONE, 1L);
        assertThat(first.key()).isEqualTo("runs/r1/epoch-0003.tar");
        assertThat(first.metadata()).containsEntry("acc1", "60.000").containsEntry("acc5", "90.000");
        assertThat(first.latest().best()).isEqualTo(first.key());
        assertThat(first.stored().bestAcc1()).isEqualTo(60.0);
        assertThat(first.stored().epochComplete()).isTrue();

        ResumePoint epoch4 = first.stored().inEpoch(4, 640, 150, inEpoch3.epochStart(), inEpoch3.epochEnd());
        CheckpointWriter.Plan worse =
                writer.plan(epoch4, true, 0.4, 55.0, 91.0, CheckpointEntries.DeadLetters.NONE, 2L);
        assertThat(worse.latest().object()).isEqualTo("runs/r1/epoch-0004.tar");
        assertThat(worse.latest().best()).as("epoch 3 stays the best").isEqualTo("runs/r1/epoch-0003.tar");
        assertThat(worse.latest().bestAcc1()).isEqualTo(60.0);
    }

    @Test
    void resumePointReadBackFromTheCheckpointIsTheOneStored() {
        CheckpointWriter.Plan plan = writer.plan(
                inEpoch3, false, 0.75, null, null, new CheckpointEntries.DeadLetters(Map.of("t-0", 9L), 2L), 1L);
        // The checkpoint file stores offsets with long partition keys, as torch.load shows them.
        assertThat(ResumePoint.of(CheckpointEntries.fromDict(plan.entries()), plan.latest()))
                .isEqualTo(plan.stored());
        assertThat(plan.stored().midEpoch()).isTrue();
    }
}
