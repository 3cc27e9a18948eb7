package org.kafkatrain.trainer.loop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.BatchResult;
import org.kafkatrain.engine.PendingResult;
import org.kafkatrain.trainer.data.BatchStream;
import org.kafkatrain.trainer.store.ResumePoint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The loop over fake steps: what listeners hear, in which order, what the meter sums, and how a stop ends a pass. */
class TrainingLoopTest {
    /** A "model" whose loss is the batch's first label and which gets every sample with an even label right. */
    private static final Function<Batch, PendingResult> STEP = b -> {
        long even = java.util.Arrays.stream(b.labels()).filter(l -> l % 2 == 0).count();
        return PendingResult.known(new BatchResult(b.size(), b.labels()[0], even, b.size()));
    };

    private final List<String> heard = new ArrayList<>();
    private final TrainingListener recorder = new TrainingListener() {
        @Override
        public void onTrainingBatch(BatchEvent e) {
            heard.add("train " + e.batch() + " step " + e.position().step() + " samples "
                    + e.position().epochSamples());
        }

        @Override
        public void onValidationBatch(BatchEvent e) {
            heard.add("val " + e.batch() + " step " + e.position().step());
        }

        @Override
        public void onEpochEnd(EpochEvent e) {
            heard.add(e.split() + " end " + e.samples() + " loss " + e.meter().meanLoss() + " top1 "
                    + e.meter().top1());
        }
    };

    @Test
    void trainingPassAdvancesStepsAndSamplesAndEndsWithTheEpochSums() throws Exception {
        TrainingLoop loop = new TrainingLoop(STEP, STEP, () -> 1e-3, List.of(recorder), () -> false, 1, step -> false);
        ResumePoint start = ResumePoint.fresh(Map.of(0, 0L)).inEpoch(2, 0, 10, Map.of(0, 0L), Map.of(0, 5L));

        TrainingLoop.TrainResult result = loop.train(start, stream(batch(2, 4), batch(1, 3, 5), batch(4)));

        assertThat(heard)
                .containsExactly(
                        "train 0 step 11 samples 2",
                        "train 1 step 12 samples 5",
                        "train 2 step 13 samples 6",
                        "TRAIN end 6 loss " + (2.0 * 2 + 1.0 * 3 + 4.0) / 6 + " top1 " + 100.0 * 3 / 6);
        assertThat(result.stopped()).isFalse();
        assertThat(result.position().step()).isEqualTo(13);
        assertThat(result.position().epoch()).isEqualTo(2);
        assertThat(result.position().epochEnd()).isEqualTo(Map.of(0, 5L));
    }

    @Test
    void resumedEpochCountsTheSamplesTrainedBeforeButMetersOnlyItsOwn() throws Exception {
        TrainingLoop loop = new TrainingLoop(STEP, STEP, () -> 1e-3, List.of(recorder), () -> false, 1, step -> false);
        ResumePoint resumed = ResumePoint.fresh(Map.of(0, 0L)).inEpoch(0, 100, 7, Map.of(0, 0L), Map.of(0, 9L));

        TrainingLoop.TrainResult result = loop.train(resumed, stream(batch(3, 3)));

        assertThat(result.position().epochSamples()).isEqualTo(102);
        assertThat(result.meter().samples()).isEqualTo(2);
        assertThat(heard).last().isEqualTo("TRAIN end 102 loss 3.0 top1 0.0");
    }

    @Test
    void stopEndsThePassAfterTheStepInFlightWithoutAnEpochEnd() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        TrainingListener stopAfterSecond = new TrainingListener() {
            @Override
            public void onTrainingBatch(BatchEvent e) {
                if (e.batch() == 1) {
                    stop.set(true);
                }
            }
        };
        TrainingLoop loop = new TrainingLoop(
                STEP, STEP, () -> 1e-3, List.of(recorder, stopAfterSecond), stop::get, 1, step -> false);

        TrainingLoop.TrainResult result =
                loop.train(ResumePoint.fresh(Map.of(0, 0L)), stream(batch(0), batch(0), batch(0)));

        assertThat(result.stopped()).isTrue();
        assertThat(result.position().step()).isEqualTo(2);
        assertThat(heard).containsExactly("train 0 step 1 samples 1", "train 1 step 2 samples 2");
    }

    @Test
    void evaluationMetersEveryBatchAndLeavesThePositionWhereTrainingLeftIt() throws Exception {
        TrainingLoop loop = new TrainingLoop(STEP, STEP, () -> 1e-3, List.of(recorder), () -> true, 1, step -> false);
        ResumePoint afterTraining = ResumePoint.fresh(Map.of(0, 0L)).inEpoch(1, 50, 20, Map.of(0, 0L), Map.of(0, 5L));

        EpochMeter val = loop.evaluate(afterTraining, stream(batch(1, 2), batch(2, 2)));

        assertThat(val.samples()).isEqualTo(4);
        assertThat(val.correct1()).isEqualTo(3);
        assertThat(val.top5()).isEqualTo(100.0);
        assertThat(heard).containsExactly("val 0 step 20", "val 1 step 20", "VAL end 4 loss 1.5 top1 75.0");
    }

    @Test
    void periodicCheckpointsEveryNStepsInEpochsModeButNotOnAStopNorInContinuousMode() throws Exception {
        List<Long> saved = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        PeriodicCheckpoints every2 = new PeriodicCheckpoints(2, stop::get, (at, meter) -> saved.add(at.step()));
        TrainingLoop loop = new TrainingLoop(STEP, STEP, () -> 1e-3, List.of(every2), stop::get, 1, every2::due);
        ResumePoint epochs = ResumePoint.fresh(Map.of(0, 0L)).inEpoch(0, 0, 0, Map.of(0, 0L), Map.of(0, 5L));
        loop.train(epochs, stream(batch(0), batch(0), batch(0), batch(0), batch(0)));
        assertThat(saved).containsExactly(2L, 4L);

        saved.clear();
        ResumePoint continuous = ResumePoint.fresh(Map.of(0, 0L)).inEpoch(0, 0, 0, Map.of(0, 0L), null);
        loop.train(continuous, stream(batch(0), batch(0)));
        assertThat(saved).isEmpty();

        stop.set(true);
        ResumePoint beforeStep2 = ResumePoint.fresh(Map.of(0, 0L)).inEpoch(0, 1, 1, Map.of(0, 0L), Map.of(0, 5L));
        assertThat(loop.train(beforeStep2, stream(batch(0), batch(0)))
                        .position()
                        .step())
                .isEqualTo(2);
        assertThat(saved)
                .as("step 2 ended on a stop, which writes its own checkpoint")
                .isEmpty();
    }

    @Test
    void resultsAreReadInWindowsYetEveryStepIsHeardInOrderAndACheckpointSeesItsOwnStep() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        Function<Batch, PendingResult> counting = b -> {
            issued.incrementAndGet();
            return STEP.apply(b);
        };
        List<String> heardAt = new ArrayList<>();
        TrainingListener whenHeard = new TrainingListener() {
            @Override
            public void onTrainingBatch(BatchEvent e) {
                heardAt.add(
                        "step " + e.position().step() + " loss " + e.result().loss() + " heard after " + issued.get());
            }
        };
        List<String> saved = new ArrayList<>();
        PeriodicCheckpoints every5 = new PeriodicCheckpoints(
                5, () -> false, (at, meter) -> saved.add("step " + at.step() + " model after " + issued.get()));
        TrainingLoop loop =
                new TrainingLoop(counting, STEP, () -> 1e-3, List.of(whenHeard, every5), () -> false, 3, every5::due);
        ResumePoint start = ResumePoint.fresh(Map.of(0, 0L)).inEpoch(0, 0, 0, Map.of(0, 0L), Map.of(0, 9L));

        TrainingLoop.TrainResult result =
                loop.train(start, stream(batch(1), batch(2), batch(3), batch(4), batch(5), batch(6), batch(7)));

        assertThat(heardAt)
                .containsExactly(
                        "step 1 loss 1.0 heard after 3",
                        "step 2 loss 2.0 heard after 3",
                        "step 3 loss 3.0 heard after 3",
                        "step 4 loss 4.0 heard after 5",
                        "step 5 loss 5.0 heard after 5",
                        "step 6 loss 6.0 heard after 7",
                        "step 7 loss 7.0 heard after 7");
        assertThat(saved).as("read at once at a checkpoint step").containsExactly("step 5 model after 5");
        assertThat(result.meter().samples()).isEqualTo(7);
        assertThat(result.meter().meanLoss()).isEqualTo(4.0);
    }

    @Test
    void aStopIsHeardAtTheNextRead() throws Exception {
        AtomicBoolean stop = new AtomicBoolean(true);
        TrainingLoop loop = new TrainingLoop(STEP, STEP, () -> 1e-3, List.of(recorder), stop::get, 2, step -> false);

        TrainingLoop.TrainResult result =
                loop.train(ResumePoint.fresh(Map.of(0, 0L)), stream(batch(0), batch(0), batch(0), batch(0)));

        assertThat(result.stopped()).isTrue();
        assertThat(result.position().step()).isEqualTo(2);
        assertThat(heard).containsExactly("train 0 step 1 samples 1", "train 1 step 2 samples 2");
    }

    static Batch batch(long... labels) {
        return new Batch(new byte[labels.length], labels, 1, 1, 1, 0);
    }

    static BatchStream stream(Batch... batches) {
        Deque<Batch> queue = new ArrayDeque<>(List.of(batches));
        return new BatchStream() {
            @Override
            public Batch take() {
                return queue.poll();
            }

            @Override
            public int depth() {
                return queue.size();
            }

            @Override
            public double waitSeconds() {
                return 0;
            }
        };
    }
}
