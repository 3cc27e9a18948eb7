package org.kafkatrain.trainer.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.engine.BatchResult;
import org.kafkatrain.trainer.loop.BatchEvent;
import org.kafkatrain.trainer.loop.EpochEvent;
import org.kafkatrain.trainer.loop.EpochMeter;
import org.kafkatrain.trainer.loop.Split;
import org.kafkatrain.trainer.store.ResumePoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class StepEventListenerTest {
    @Test
    void stepsAndEpochEndsBecomeVersionedEventsKeyedToTheRun() {
        List<TrainingStep> sent = new ArrayList<>();
        StepEventListener listener = new StepEventListener("r", () -> 3, sent::add);
        ResumePoint at = ResumePoint.fresh(Map.of(0, 0L)).inEpoch(1, 132, 9, Map.of(0, 0L), Map.of(0, 200L));
        EpochMeter meter = new EpochMeter();
        BatchResult r = new BatchResult(32, 0.5, 20, 30);
        meter.add(r);

        listener.onTrainingBatch(new BatchEvent(Split.TRAIN, 1, 4, r, 50.0, 1e-4, meter, at, 2, 0xabcL));
        listener.onEpochEnd(new EpochEvent(Split.TRAIN, 1, 132, meter, 1e-4, at));
        listener.onValidationBatch(new BatchEvent(
                Split.VAL, 1, 0, new BatchResult(10, 1.0, 5, 9), 200.0, 1e-4, new EpochMeter(), at, 0, 1L));

        assertThat(sent).hasSize(3);
        TrainingStep step = sent.get(0);
        assertThat(step.v()).isEqualTo(TrainingStep.VERSION);
        assertThat(step.type()).isEqualTo(TrainingStep.STEP);
        assertThat(step.runId()).isEqualTo("r");
        assertThat(step.split()).isEqualTo("train");
        assertThat(step.epoch()).isEqualTo(1);
        assertThat(step.step()).isEqualTo(9);
        assertThat(step.batch()).isEqualTo(4);
        assertThat(step.samples()).isEqualTo(32);
        assertThat(step.lr()).isEqualTo(1e-4);
        assertThat(step.rejected()).isEqualTo(3);
        assertThat(step.sampleDigest()).isEqualTo("0000000000000abc");

        TrainingStep end = sent.get(1);
        assertThat(end.type()).isEqualTo(TrainingStep.EPOCH_END);
        assertThat(end.samples())
                .as("the whole epoch, samples trained before a resume included")
                .isEqualTo(132);
        assertThat(end.correct1()).isEqualTo(20);
        assertThat(end.imagesPerSec()).isEqualTo(50.0);

        assertThat(sent.get(2).split()).isEqualTo("val");
        assertThat(sent.get(2).step())
                .as("val batches carry the global step they evaluate")
                .isEqualTo(9);
    }
}
