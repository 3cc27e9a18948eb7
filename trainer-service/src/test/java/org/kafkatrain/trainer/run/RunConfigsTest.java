package org.kafkatrain.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.runs.RunConfig;
import org.kafkatrain.contracts.runs.RunMode;
import org.kafkatrain.engine.AdamOptimizer;
import org.kafkatrain.engine.ComputeOptions;
import org.kafkatrain.engine.Precision;

import java.util.List;

class RunConfigsTest {
    private static final RunConfigs.Defaults DEFAULTS =
            new RunConfigs.Defaults("images.train", "images.val", "cpu", AdamOptimizer.Kernel.FUSED);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void newRunTakesTheTutorialsHyperparametersAndTheTrainersTopicsAndDevice() {
        RunConfig r = RunConfigs.resolve(RunConfig.of("r1", "fashion-mnist"), DEFAULTS);
        assertThat(r.trainTopic()).isEqualTo("images.train");
        assertThat(r.valTopic()).isEqualTo("images.val");
        assertThat(r.device()).as("trainer.device, not a hard-coded auto").isEqualTo("cpu");
        assertThat(r.mode()).isEqualTo(RunMode.EPOCHS);
        assertThat(r.epochs()).isEqualTo(1);
        assertThat(r.lr()).isEqualTo(1e-3);
        assertThat(r.stepSize()).isEqualTo(20);
        assertThat(r.gamma()).isEqualTo(0.1);
        assertThat(r.batchSize()).isEqualTo(32);
        assertThat(r.evalBatchSize()).isEqualTo(64);
        assertThat(r.keepLast()).isEqualTo(3);
        assertThat(r.mean()).containsExactly(0.485, 0.456, 0.406);
    }

    @Test
    void requestValuesWinOverDefaults() throws Exception {
        RunConfig r = RunConfigs.resolve(JSON.readValue("""
                {"runId":"r2","dataset":"d","mode":"continuous","epochSamples":500,"batchSize":8,"device":"cuda:1","epochs":4}""", RunConfig.class), DEFAULTS);
        assertThat(r.mode()).isEqualTo(RunMode.CONTINUOUS);
        assertThat(r.evalBatchSize()).isEqualTo(16);
        assertThat(r.device()).isEqualTo("cuda:1");
        assertThat(r.epochs()).isEqualTo(4);
    }

    @Test
    void computeSettingsDefaultToFp32NchwAndTheTrainersKernelAndAreParsedCaseInsensitively() throws Exception {
        RunConfig plain = RunConfigs.resolve(RunConfig.of("c1", "d"), DEFAULTS);
        assertThat(List.of(plain.precision(), plain.channelsLast(), plain.adam()))
                .containsExactly("fp32", false, "fused");
        RunConfig loop = RunConfigs.resolve(
                RunConfig.of("c2", "d"),
                new RunConfigs.Defaults("images.train", "images.val", "cpu", AdamOptimizer.Kernel.FOR_LOOP));
        assertThat(loop.adam()).as("trainer.adam-kernel is the default").isEqualTo("for-loop");
        RunConfig fast = RunConfigs.resolve(
                read(
                        "{\"runId\":\"c3\",\"dataset\":\"d\",\"precision\":\"BF16\",\"channelsLast\":true,\"adam\":\"FOR_LOOP\"}"),
                DEFAULTS);
        assertThat(List.of(fast.precision(), fast.channelsLast(), fast.adam()))
                .containsExactly("bf16", true, "for-loop");
        assertThat(RunConfigs.compute(fast, AdamOptimizer.Kernel.FUSED))
                .isEqualTo(new ComputeOptions(Precision.BF16, true, AdamOptimizer.Kernel.FOR_LOOP));
        assertThatThrownBy(() -> RunConfigs.resolve(
                        read("{\"runId\":\"r\",\"dataset\":\"d\",\"precision\":\"fp16\"}"), DEFAULTS))
                .hasMessageContaining("precision must be fp32, tf32 or bf16: fp16");
        assertThatThrownBy(() ->
                        RunConfigs.resolve(read("{\"runId\":\"r\",\"dataset\":\"d\",\"adam\":\"sgd\"}"), DEFAULTS))
                .hasMessageContaining("adam must be fused or for-loop");
    }

    @Test
    void aResumedRunMayChangeHowItComputesButNotWhatItLearns() {
        RunConfig stored = RunConfigs.resolve(RunConfig.of("c4", "d"), DEFAULTS);
        RunConfig request = read("{\"runId\":\"c4\",\"dataset\":\"d\",\"precision\":\"bf16\",\"channelsLast\":true}");
        RunConfigs.Resumed resumed = RunConfigs.resume(request, stored, false);
        assertThat(resumed.overridden()).isEmpty();
        assertThat(resumed.config().precision()).isEqualTo("bf16");
        assertThat(RunConfigs.compute(RunConfig.of("c4", "d"), AdamOptimizer.Kernel.FOR_LOOP))
                .as("a config stored before the settings existed")
                .isEqualTo(new ComputeOptions(Precision.FP32, false, AdamOptimizer.Kernel.FOR_LOOP));
    }

    @Test
    void badRequestsNameTheFieldAtFault() {
        assertThatThrownBy(() -> RunConfigs.resolve(RunConfig.of("../etc", "d"), DEFAULTS))
                .hasMessageContaining("runId");
        assertThatThrownBy(() -> RunConfigs.resolve(RunConfig.of("r", " "), DEFAULTS))
                .hasMessageContaining("dataset");
        assertThatThrownBy(() ->
                        JSON.readValue("{\"runId\":\"r\",\"dataset\":\"d\",\"mode\":\"sometimes\"}", RunConfig.class))
                .hasMessageContaining("mode must be one of epochs, continuous");
        assertThatThrownBy(() -> RunConfigs.resolve(
                        read("{\"runId\":\"r\",\"dataset\":\"d\",\"mode\":\"continuous\"}"), DEFAULTS))
                .hasMessageContaining("epochSamples");
        assertThatThrownBy(() -> RunConfigs.resolve(read("{\"runId\":\"r\",\"dataset\":\"d\",\"epochs\":0}"), DEFAULTS))
                .hasMessageContaining("epochs");
        assertThatThrownBy(() -> RunConfigs.resolve(read("{\"runId\":\"r\",\"dataset\":\"d\",\"lr\":-1}"), DEFAULTS))
                .hasMessageContaining("lr");
        assertThatThrownBy(
                        () -> RunConfigs.resolve(read("{\"runId\":\"r\",\"dataset\":\"d\",\"mean\":[0.5]}"), DEFAULTS))
                .hasMessageContaining("mean");
    }

    @Test
    void resumedRunKeepsItsStoredConfigWhenTheRequestNamesOnlyTheRun() {
        RunConfig stored = RunConfigs.resolve(
                read("{\"runId\":\"r\",\"dataset\":\"d\",\"epochs\":5,\"batchSize\":16,\"lr\":0.01}"), DEFAULTS);
        RunConfig resumed =
                RunConfigs.resume(RunConfig.of("r", null), stored, false).config();
        assertThat(resumed).isEqualTo(stored);
        assertThat(resumed.epochs()).as("not the 1 of a new run").isEqualTo(5);
    }

    /**
     * One process unless the request says otherwise; no replicas in continuous mode, whose epoch end each replica
     * would find elsewhere; a resumed group keeps its count (the global batch is part of the training), and a
     * config stored before the field existed reads as one replica.
     */
    @Test
    void replicasDefaultToOneAreRefusedInContinuousModeAndKeptOnResume() {
        assertThat(RunConfigs.resolve(RunConfig.of("p1", "d"), DEFAULTS).replicas())
                .isEqualTo(1);
        assertThat(RunConfig.of("old", "d").replicaCount()).isEqualTo(1);
        assertThatThrownBy(
                        () -> RunConfigs.resolve(read("{\"runId\":\"p2\",\"dataset\":\"d\",\"replicas\":0}"), DEFAULTS))
                .hasMessageContaining("replicas must be positive");
        assertThatThrownBy(() -> RunConfigs.resolve(
                        read("{\"runId\":\"p3\",\"dataset\":\"d\",\"replicas\":2,\"mode\":\"continuous\","
                                + "\"epochSamples\":100}"),
                        DEFAULTS))
                .hasMessageContaining("mode EPOCHS");
        RunConfig two = RunConfigs.resolve(read("{\"runId\":\"p4\",\"dataset\":\"d\",\"replicas\":2}"), DEFAULTS);
        assertThat(RunConfigs.resume(read("{\"runId\":\"p4\",\"epochs\":3}"), two, false)
                        .config()
                        .replicas())
                .isEqualTo(2);
        assertThatThrownBy(() -> RunConfigs.resume(read("{\"runId\":\"p4\",\"replicas\":4}"), two, false))
                .isInstanceOf(RunConflictException.class)
                .hasMessageContaining("replicas 2 -> 4");
    }

    @Test
    void resumedRunMayTrainLongerOrElsewhereButNotOnOtherDataOrSettings() {
        RunConfig stored = RunConfigs.resolve(read("{\"runId\":\"r\",\"dataset\":\"d\",\"epochs\":2}"), DEFAULTS);
        RunConfig longer = RunConfigs.resume(
                        read("{\"runId\":\"r\",\"epochs\":6,\"device\":\"cuda\",\"checkpointEvery\":50}"),
                        stored,
                        false)
                .config();
        assertThat(longer.epochs()).isEqualTo(6);
        assertThat(longer.device()).isEqualTo("cuda");
        assertThat(longer.checkpointEvery()).isEqualTo(50);
        assertThat(longer.batchSize()).isEqualTo(stored.batchSize());

        assertThat(RunConfigs.resume(read("{\"runId\":\"r\",\"dataset\":\"d\",\"batchSize\":32}"), stored, false)
                        .config())
                .as("same values are no change")
                .isEqualTo(stored);
        assertThatThrownBy(() -> RunConfigs.resume(read("{\"runId\":\"r\",\"batchSize\":64}"), stored, false)
                        .config())
                .isInstanceOf(RunConflictException.class)
                .hasMessageContaining("batchSize 32 -> 64");
        assertThatThrownBy(() -> RunConfigs.resume(read("{\"runId\":\"r\",\"dataset\":\"other\"}"), stored, false)
                        .config())
                .hasMessageContaining("dataset");
        assertThatThrownBy(() -> RunConfigs.resume(read("{\"runId\":\"r\",\"epochs\":0}"), stored, false)
                        .config())
                .hasMessageContaining("epochs");
    }

    @Test
    void everyConflictingFieldIsNamedAndAnOverrideAppliesThemAndSaysWhich() {
        RunConfig stored = RunConfigs.resolve(read("{\"runId\":\"r\",\"dataset\":\"d\",\"epochs\":2}"), DEFAULTS);
        RunConfig request = read("{\"runId\":\"r\",\"lr\":0.01,\"seed\":7,\"epochs\":4}");
        assertThatThrownBy(() -> RunConfigs.resume(request, stored, false))
                .isInstanceOf(RunConflictException.class)
                .hasMessageContaining("lr 0.001 -> 0.01")
                .hasMessageContaining("seed 42 -> 7")
                .hasMessageNotContaining("epochs");

        RunConfigs.Resumed overridden = RunConfigs.resume(request, stored, true);
        assertThat(overridden.config().lr()).isEqualTo(0.01);
        assertThat(overridden.config().seed()).isEqualTo(7L);
        assertThat(overridden.config().epochs()).isEqualTo(4);
        assertThat(overridden.overridden()).containsExactly("lr 0.001 -> 0.01", "seed 42 -> 7");
    }

    @Test
    void aForkIsItsParentsConfigWithTheRequestOverItUnderItsOwnId() {
        RunConfig parent = RunConfigs.resolve(
                read("{\"runId\":\"p\",\"dataset\":\"d\",\"epochs\":2,\"batchSize\":16,\"seed\":7,"
                        + "\"initWeights\":\"weights/w.pt\",\"freezeEpochs\":1}"),
                DEFAULTS);
        RunConfig fork =
                RunConfigs.fork(read("{\"runId\":\"f\",\"fromRun\":\"p\",\"lr\":0.0001,\"epochs\":4}"), parent);
        assertThat(fork.runId()).isEqualTo("f");
        assertThat(fork.dataset()).isEqualTo("d");
        assertThat(fork.batchSize()).isEqualTo(16);
        assertThat(fork.seed()).isEqualTo(7L); // the same shuffle: the same samples in the same order
        assertThat(fork.lr()).isEqualTo(1e-4);
        assertThat(fork.epochs()).isEqualTo(4);
        assertThat(fork.fromRun()).isEqualTo("p");
        assertThat(fork.fromCheckpoint()).isEqualTo("latest");
        assertThat(fork.initWeights()).isNull(); // the weights come from the parent's checkpoint
        assertThat(fork.freezeEpochs()).isZero();
        assertThatThrownBy(() ->
                        RunConfigs.resolve(read("{\"runId\":\"r\",\"dataset\":\"d\",\"freezeEpochs\":2}"), DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs initWeights");
    }

    @Test
    void storedConfigSurvivesItsJsonRoundTrip() throws Exception {
        RunConfig stored =
                RunConfigs.resolve(read("{\"runId\":\"r\",\"dataset\":\"d\",\"mean\":[0.5,0.5,0.5]}"), DEFAULTS);
        assertThat(JSON.readValue(JSON.writeValueAsString(stored), RunConfig.class))
                .isEqualTo(stored);
        assertThat(JSON.writeValueAsString(stored)).contains("\"mode\":\"epochs\"");
        assertThat(stored.std()).isEqualTo(List.of(0.229, 0.224, 0.225));
    }

    private static RunConfig read(String json) {
        try {
            return JSON.readValue(json, RunConfig.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
