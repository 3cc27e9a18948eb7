package org.kafkatrain.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.DatasetRecords;
import org.kafkatrain.contracts.InvalidRecordException.Problem;
import org.kafkatrain.contracts.OffsetRange;
import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.RunField;
import org.kafkatrain.contracts.runs.RunMode;
import org.kafkatrain.contracts.runs.RunRequest;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunSpecs;
import org.kafkatrain.trainer.data.IntakeTally;

import java.util.List;
import java.util.Map;

/** What a run reads of its topics (the dataset's pinned records or the topic whole), and when its intake fails it. */
class RunIntakeTest {
    private static final RunSpecs.Deployment DEPLOYMENT =
            new RunSpecs.Deployment("images.train", "images.val", "cpu", AdamKernel.FUSED);
    private static final DatasetRecords TRAIN = new DatasetRecords("own.train", List.of(new OffsetRange(0, 5, 9)));
    private static final DatasetRecords VAL = new DatasetRecords("own.val", List.of(new OffsetRange(0, 0, 2)));
    private static final DatasetManifest MANIFEST = new DatasetManifest(
            DatasetManifest.VERSION,
            "own",
            List.of("a", "b"),
            28,
            28,
            1,
            "test",
            Map.of("train", Map.of("a", 4L)),
            0L,
            Map.of("train", TRAIN, "val", VAL));
    private static final double MAX_SHARE = 0.5;

    @Test
    void aRunOfTheDatasetsTopicsReadsOnlyItsRecordsUnlessItAsksForTheWholeTopics() {
        RunSpec own = config("own.train", "own.val", RunMode.EPOCHS, null);
        assertThat(RunSetup.pinned(own, MANIFEST)).isEqualTo(Map.of("own.train", TRAIN, "own.val", VAL));
        assertThat(RunSetup.pinned(config("own.train", "own.val", RunMode.EPOCHS, true), MANIFEST))
                .isEmpty();
        assertThat(RunSetup.pinned(config("other.train", "own.val", RunMode.EPOCHS, null), MANIFEST))
                .as("a topic the manifest does not name is read whole")
                .isEqualTo(Map.of("own.val", VAL));
        assertThat(RunSetup.pinned(config("own.train", "own.val", RunMode.CONTINUOUS, null), MANIFEST))
                .as("continuous mode follows its train topic")
                .isEqualTo(Map.of("own.val", VAL));
    }

    @Test
    void anEpochWithNoSampleOrTooManyRejectsFailsNamingTheProblemsAndWhereTheDatasetIs() {
        RunSetup setup = setup();
        RunSpec wrongTopic = config("images.train", "own.val", RunMode.EPOCHS, null);
        assertThatThrownBy(() -> setup.checkIntake(
                        wrongTopic,
                        0,
                        new IntakeTally.Count(92, 0, Map.of(Problem.LABEL_OUT_OF_RANGE, 92L)),
                        0,
                        MAX_SHARE))
                .hasMessageContaining("epoch 0 trained no sample: 92 of 92 records of images.train rejected")
                .hasMessageContaining("LABEL_OUT_OF_RANGE 92")
                .hasMessageContaining("dataset own's train records are on own.train");
        assertThatThrownBy(() -> setup.checkIntake(wrongTopic, 1, new IntakeTally.Count(0, 0, Map.of()), 0, MAX_SHARE))
                .hasMessageContaining("epoch 1 read no record of images.train");

        RunSpec own = config("own.train", "own.val", RunMode.EPOCHS, null);
        // 6 records refused against 4 samples of the 4 accepted records: 60%
        IntakeTally.Count mostlyBad =
                new IntakeTally.Count(10, 4, Map.of(Problem.SHAPE_MISMATCH, 4L, Problem.LABEL_OUT_OF_RANGE, 2L));
        assertThatThrownBy(() -> setup.checkIntake(own, 0, mostlyBad, 4, MAX_SHARE))
                .hasMessageContaining("rejected 60% of its data, more than trainer.max-rejected-share 0.50: 6 of 10")
                .hasMessageContaining("SHAPE_MISMATCH 4, LABEL_OUT_OF_RANGE 2");
        // the fault suite's bad records: 12 refused beside 3 batch envelopes of 202 samples: 6%
        IntakeTally.Count envelopes = new IntakeTally.Count(15, 202, Map.of(Problem.CORRUPT_IMAGE, 12L));
        assertThatCode(() -> setup.checkIntake(own, 0, envelopes, 202, MAX_SHARE))
                .doesNotThrowAnyException();
    }

    @Test
    void countsSinceAnEarlierOneAreTheEpochsOwn() {
        IntakeTally.Count before = new IntakeTally.Count(10, 90, Map.of(Problem.SHAPE_MISMATCH, 1L));
        IntakeTally.Count after =
                new IntakeTally.Count(25, 200, Map.of(Problem.SHAPE_MISMATCH, 3L, Problem.EMPTY_VALUE, 1L));
        IntakeTally.Count epoch = after.since(before);
        assertThat(epoch.records()).isEqualTo(15);
        assertThat(epoch.samples()).isEqualTo(110);
        assertThat(epoch.rejected()).isEqualTo(Map.of(Problem.SHAPE_MISMATCH, 2L, Problem.EMPTY_VALUE, 1L));
        assertThat(epoch.rejectedTotal()).isEqualTo(3);
    }

    private static RunSetup setup() {
        return new RunSetup(MANIFEST, null, null, null, null, null, null, new IntakeTally(), Map.of());
    }

    private static RunSpec config(String train, String val, RunMode mode, Boolean wholeTopics) {
        RunRequest request = RunRequest.forRun("r1")
                .with(RunField.DATASET, "own")
                .with(RunField.TRAIN_TOPIC, train)
                .with(RunField.VAL_TOPIC, val)
                .with(RunField.MODE, mode)
                .with(RunField.EPOCH_SAMPLES, 64)
                .with(RunField.WHOLE_TOPICS, wholeTopics);
        return RunSpecs.resolve(request, DEPLOYMENT);
    }
}
