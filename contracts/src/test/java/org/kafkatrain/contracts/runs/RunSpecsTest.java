package org.kafkatrain.contracts.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Requests to specs: defaults, the resume rule, forks, both request forms, and errors that name the setting. */
class RunSpecsTest {
    private static final RunSpecs.Deployment DEPLOYMENT =
            new RunSpecs.Deployment("images.train", "images.val", "cpu", AdamKernel.FUSED);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aNewRunTakesTheTutorialsHyperparametersAndTheDeploymentsTopicsDeviceAndKernel() {
        RunSpec r = RunSpecs.resolve(RunRequest.forRun("r1"), DEPLOYMENT);
        assertThat(r.v()).isEqualTo(RunSpec.VERSION);
        assertThat(r.data().dataset()).isEqualTo("fashion-mnist");
        assertThat(r.data().trainTopic()).isEqualTo("images.train");
        assertThat(r.data().valTopic()).isEqualTo("images.val");
        assertThat(r.data().mode()).isEqualTo(RunMode.EPOCHS);
        assertThat(r.data().wholeTopics()).isFalse();
        assertThat(r.data().mean()).containsExactly(0.485, 0.456, 0.406);
        assertThat(r.compute().device())
                .as("the trainer's device, not a hard-coded auto")
                .isEqualTo("cpu");
        assertThat(r.compute().precision()).isEqualTo(Precision.FP32);
        assertThat(r.compute().adam()).isEqualTo(AdamKernel.FUSED);
        assertThat(r.epochs()).isEqualTo(1);
        assertThat(r.optimization()).isEqualTo(new RunSpec.Optimization(32, 1e-3, 0.9, 0.999, 1e-8, 0.0, 20, 0.1));
        assertThat(r.evaluation()).isEqualTo(new RunSpec.Evaluation(64, 0));
        assertThat(r.checkpointing()).isEqualTo(new RunSpec.Checkpointing(0, 3));
        assertThat(r.start()).isEqualTo(new RunSpec.Start(null, 0, null, null));
        assertThat(r.distribution().replicas()).isEqualTo(1);
        assertThat(RunSpecs.resolve(
                                RunRequest.forRun("r2"), new RunSpecs.Deployment("t", "v", "cpu", AdamKernel.FOR_LOOP))
                        .compute()
                        .adam())
                .as("trainer.adam-kernel is the default")
                .isEqualTo(AdamKernel.FOR_LOOP);
    }

    @Test
    void theFlatV1FormAndTheGroupedV2FormAskForTheSameRun() throws Exception {
        RunSpec flat = RunSpecs.resolve(request("""
                {"runId":"r","dataset":"d","mode":"continuous","epochSamples":500,"batchSize":8,"device":"cuda:1",
                 "epochs":4,"evalBatchSize":12,"checkpointEvery":50,"precision":"BF16","adam":"FOR_LOOP"}"""), DEPLOYMENT);
        RunSpec grouped = RunSpecs.resolve(request("""
                {"v":2,"runId":"r","epochs":4,"data":{"dataset":"d","mode":"continuous","epochSamples":500},
                 "optimization":{"batchSize":8},"evaluation":{"batchSize":12},"checkpointing":{"every":50},
                 "compute":{"device":"cuda:1","precision":"bf16","adam":"for-loop"}}"""), DEPLOYMENT);
        assertThat(grouped).isEqualTo(flat);
        assertThat(flat.data().mode()).isEqualTo(RunMode.CONTINUOUS);
        assertThat(flat.compute().precision()).isEqualTo(Precision.BF16);
        assertThat(flat.evaluation().batchSize()).isEqualTo(12);
        assertThat(RunSpecs.resolve(request("{\"runId\":\"r\",\"batchSize\":8}"), DEPLOYMENT)
                        .evaluation()
                        .batchSize())
                .as("twice the batch unless set")
                .isEqualTo(16);
        RunRequest written = RunRequest.forRun("r").with(RunField.LR, 0.01).with(RunField.DATASET, "d");
        assertThat(JSON.writeValueAsString(written))
                .isEqualTo("{\"v\":2,\"runId\":\"r\",\"optimization\":{\"lr\":0.01},\"data\":{\"dataset\":\"d\"}}");
        assertThat(RunRequest.fromJson(JSON.readTree(JSON.writeValueAsString(written))))
                .isEqualTo(written);
    }

    @Test
    void aNullSettingIsNotSetInEitherForm() {
        RunSpec grouped = resolve("{\"v\":2,\"runId\":\"r\",\"data\":{\"trainTopic\":null,\"mode\":null}}");
        assertThat(grouped.data().trainTopic()).isEqualTo("images.train");
        assertThat(grouped.data().mode()).isEqualTo(RunMode.EPOCHS);
        assertThat(resolve("{\"runId\":\"r\",\"trainTopic\":null}")).isEqualTo(grouped);
    }

    @Test
    void aSpecSurvivesItsJsonRoundTrip() throws Exception {
        RunSpec spec =
                RunSpecs.resolve(request("{\"runId\":\"r\",\"dataset\":\"d\",\"mean\":[0.5,0.5,0.5]}"), DEPLOYMENT);
        String json = JSON.writeValueAsString(spec);
        assertThat(JSON.readValue(json, RunSpec.class)).isEqualTo(spec);
        assertThat(json).contains("\"mode\":\"epochs\"", "\"precision\":\"fp32\"", "\"adam\":\"fused\"");
        assertThat(RunSpecs.stored(JSON.readTree(json), DEPLOYMENT)).isEqualTo(spec);
    }

    @Test
    void badRequestsNameTheSettingAtFault() {
        assertThatThrownBy(() -> RunSpecs.resolve(RunRequest.forRun("../etc"), DEPLOYMENT))
                .hasMessageContaining("runId");
        assertThatThrownBy(() -> request("{\"runId\":\"r\",\"lrr\":0.1}"))
                .hasMessageContaining("unknown run setting 'lrr'")
                .hasMessageContaining("optimization.lr");
        assertThatThrownBy(() -> request("{\"runId\":\"r\",\"optimization\":{\"rate\":0.1}}"))
                .hasMessageContaining("unknown run setting 'optimization.rate'");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"dataset\":\" \"}")).hasMessageContaining("dataset");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"mode\":\"sometimes\"}"))
                .hasMessageContaining("data.mode")
                .hasMessageContaining("mode must be one of epochs, continuous");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"batchSize\":\"many\"}"))
                .hasMessageContaining("optimization.batchSize");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"mode\":\"continuous\"}"))
                .hasMessageContaining("epochSamples");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"epochs\":0}")).hasMessageContaining("epochs");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"lr\":-1}")).hasMessageContaining("optimization.lr");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"mean\":[0.5]}")).hasMessageContaining("data.mean");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"precision\":\"fp16\"}"))
                .hasMessageContaining("precision must be fp32, tf32 or bf16: fp16");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"adam\":\"sgd\"}"))
                .hasMessageContaining("adam must be fused or for-loop");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"freezeEpochs\":2}"))
                .hasMessageContaining("needs start.initWeights");
        assertThatThrownBy(() -> resolve("{\"runId\":\"p\",\"replicas\":0}"))
                .hasMessageContaining("replicas must be positive");
        assertThatThrownBy(
                        () -> resolve("{\"runId\":\"p\",\"replicas\":2,\"mode\":\"continuous\",\"epochSamples\":100}"))
                .hasMessageContaining("mode epochs");
    }

    @Test
    void numbersOutsideTheirRangeAreRefusedWithTheSettingAndTheRange() {
        // 1e999 parses as Infinity, which passed "lr <= 0" and trained NaN losses; betas of 1 or more diverge
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"lr\":1e999}"))
                .hasMessage("optimization.lr must be a number in (0.0, 10.0]: Infinity");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"beta1\":1.0}"))
                .hasMessage("optimization.beta1 must be a number in [0.0, 1): 1.0");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"beta2\":-0.1}")).hasMessageContaining("beta2");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"eps\":-1e-8}")).hasMessageContaining("eps");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"gamma\":0}")).hasMessageContaining("gamma");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"std\":[0.5,0,0.5]}"))
                .hasMessageContaining("data.std[1]");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"batchSize\":1000000}"))
                .hasMessage("optimization.batchSize must be in [1, " + RunSpecs.MAX_BATCH + "]: 1000000");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"shuffleBuffer\":2147483647}"))
                .hasMessageContaining("data.shuffleBuffer must be in [1, " + RunSpecs.MAX_SHUFFLE_BUFFER + "]");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"keepLast\":2000000000}"))
                .hasMessageContaining("checkpointing.keepLast");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"checkpointEvery\":-5}"))
                .hasMessageContaining("checkpointing.every");
        assertThatThrownBy(() -> resolve("{\"runId\":\"r\",\"evalBatchSize\":99999}"))
                .hasMessageContaining("evaluation.batchSize");
    }

    @Test
    void aResumedRunKeepsItsSpecAndMayChangeOnlyWhatRunFieldCallsAdjustable() {
        RunSpec stored = resolve("{\"runId\":\"r\",\"dataset\":\"d\",\"epochs\":2,\"replicas\":2}");
        RunSpecs.Resumed same = RunSpecs.resume(RunRequest.forRun("r"), stored);
        assertThat(same.spec()).isEqualTo(stored);
        assertThat(same.changes()).isEmpty();
        assertThat(RunSpecs.resume(request("{\"runId\":\"r\",\"dataset\":\"d\",\"batchSize\":32}"), stored)
                        .changes())
                .as("the same values are no change")
                .isEmpty();

        RunSpecs.Resumed longer = RunSpecs.resume(
                request("{\"runId\":\"r\",\"epochs\":6,\"device\":\"cuda\",\"checkpointEvery\":50,"
                        + "\"precision\":\"bf16\",\"channelsLast\":true}"),
                stored);
        assertThat(longer.refused()).isEmpty();
        assertThat(longer.spec().epochs()).isEqualTo(6);
        assertThat(longer.spec().compute())
                .isEqualTo(new RunSpec.Compute("cuda", Precision.BF16, true, AdamKernel.FUSED));
        assertThat(longer.spec().checkpointing().every()).isEqualTo(50);

        RunSpecs.Resumed other = RunSpecs.resume(
                request("{\"runId\":\"r\",\"lr\":0.01,\"seed\":7,\"epochs\":4,\"replicas\":4,\"dataset\":\"x\"}"),
                stored);
        assertThat(other.refused())
                .containsExactly(
                        "data.dataset \"d\" -> \"x\"",
                        "data.seed 42 -> 7",
                        "optimization.lr 0.001 -> 0.01",
                        "distribution.replicas 2 -> 4");
        assertThat(other.changes()).contains("epochs 2 -> 4");
        assertThat(other.spec().optimization().lr())
                .as("applied when overridden")
                .isEqualTo(0.01);
        assertThat(RunSpecs.refusal("r", other.refused()))
                .contains("optimization.lr 0.001 -> 0.01")
                .contains(RunField.adjustableOnResumeText())
                .contains("--override");
        assertThatThrownBy(() -> RunSpecs.resume(request("{\"runId\":\"r\",\"epochs\":0}"), stored))
                .hasMessageContaining("epochs");
    }

    @Test
    void theResumeRuleIsRunFieldsDeclaration() {
        assertThat(RunField.adjustableOnResumeText())
                .isEqualTo("--epochs (epochs), --eval-batch-size (evaluation.batchSize), --max-eval-samples"
                        + " (evaluation.maxSamples), --device (compute.device), --precision (compute.precision),"
                        + " --channels-last (compute.channelsLast), --adam (compute.adam), --checkpoint-every"
                        + " (checkpointing.every), --keep-last (checkpointing.keepLast)");
        RunSpec stored = resolve("{\"runId\":\"r\"}");
        for (RunField field : RunField.values()) {
            JsonNode other = otherValue(field);
            if (other == null) {
                continue;
            }
            RunSpecs.Resumed resumed = RunSpecs.resume(RunRequest.forRun("r").with(field, other), stored);
            assertThat(resumed.changes()).as(field.path()).hasSize(1);
            assertThat(resumed.refused()).as(field.path()).hasSize(field.adjustableOnResume() ? 0 : 1);
        }
    }

    @Test
    void aForkIsItsParentsSpecWithTheRequestOverItUnderItsOwnId() {
        RunSpec parent = resolve("{\"runId\":\"p\",\"dataset\":\"d\",\"epochs\":2,\"batchSize\":16,\"seed\":7,"
                + "\"initWeights\":\"weights/w.pt\",\"freezeEpochs\":1}");
        RunSpec fork = RunSpecs.fork(request("{\"runId\":\"f\",\"fromRun\":\"p\",\"lr\":0.0001,\"epochs\":4}"), parent);
        assertThat(fork.runId()).isEqualTo("f");
        assertThat(fork.data()).as("the same samples in the same order").isEqualTo(parent.data());
        assertThat(fork.optimization().batchSize()).isEqualTo(16);
        assertThat(fork.optimization().lr()).isEqualTo(1e-4);
        assertThat(fork.epochs()).isEqualTo(4);
        assertThat(fork.start())
                .as("the weights come from the parent's latest checkpoint")
                .isEqualTo(new RunSpec.Start(null, 0, "p", "latest"));
    }

    @Test
    void theSchemaFileHasEverySettingAndASpecHasNothingElse() throws Exception {
        JsonNode schema;
        try (var in = RunSpecsTest.class.getResourceAsStream("/schemas/run-spec.v2.json")) {
            schema = JSON.readTree(in);
        }
        JsonNode spec = RunSpecs.tree(resolve("{\"runId\":\"r\"}"));
        for (RunField field : RunField.values()) {
            JsonNode parent =
                    field.group() == null ? schema : schema.path("properties").path(field.group());
            assertThat(parent.path("properties").has(field.fieldName()))
                    .as(field.path())
                    .isTrue();
        }
        spec.fields().forEachRemaining(e -> {
            assertThat(schema.path("properties").has(e.getKey())).as(e.getKey()).isTrue();
            e.getValue()
                    .fieldNames()
                    .forEachRemaining(name -> assertThat(schema.path("properties")
                                    .path(e.getKey())
                                    .path("properties")
                                    .has(name))
                            .as(e.getKey() + "." + name)
                            .isTrue());
        });
    }

    /** A value other than the default for each field that has a simple one. */
    private static JsonNode otherValue(RunField field) {
        Object value = switch (field) {
            case EPOCHS, BATCH_SIZE, STEP_SIZE, EVAL_BATCH_SIZE, CHECKPOINT_EVERY, KEEP_LAST, SHUFFLE_BUFFER -> 7;
            case LR, BETA1, BETA2, EPS, WEIGHT_DECAY, GAMMA -> 0.5;
            case SEED, MAX_EVAL_SAMPLES -> 9L;
            case DATASET, TRAIN_TOPIC, VAL_TOPIC, DEVICE -> "other";
            case WHOLE_TOPICS, AUGMENT, CHANNELS_LAST -> true;
            case PRECISION -> "bf16";
            case ADAM -> "for-loop";
            case MEAN, STD -> List.of(0.5, 0.5, 0.5);
            case REPLICAS -> 2;
            default -> null; // mode, epochSamples and the starting point need other settings with them
        };
        return value == null ? null : JSON.valueToTree(value);
    }

    private static RunSpec resolve(String json) {
        return RunSpecs.resolve(request(json), DEPLOYMENT);
    }

    private static RunRequest request(String json) {
        try {
            return RunRequest.fromJson(JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
