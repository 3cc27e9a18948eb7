package org.kafkatrain.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.pytorch.global.torch.cross_entropy;
import static org.bytedeco.pytorch.global.torch.set_num_threads;

/** The Java ResNet-50, Adam and StepLR against numbers PyTorch 2.13 / torchvision 0.28 computed (shared/reference). */
class ResNet50ReferenceTest {
    private static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        set_num_threads(2);
        try (InputStream in = ResNet50ReferenceTest.class.getResourceAsStream("/reference/resnet50-reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
    }

    @ParameterizedTest(name = "{0} classes")
    @ValueSource(ints = {10, 1000})
    void stateDictHasTorchvisionNamesShapesAndOrder(int classes) throws IOException {
        List<String> expected;
        try (InputStream in = getClass().getResourceAsStream("/reference/resnet50-state-dict-" + classes + ".tsv")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#"))
                    .map(l -> l.split("\t")[0] + "\t" + l.split("\t")[1]).toList();
        }
        ResNet50 model = new ResNet50(classes);
        List<String> actual = new ArrayList<>();
        StateDict.of(model).forEach((name, t) -> actual.add(name + "\t" + shape(t)));

        assertThat(actual).containsExactlyElementsOf(expected);
        long parameters = StateDict.namedParameters(model).values().stream().mapToLong(Tensor::numel).sum();
        if (classes == 1000) {
            assertThat(parameters).isEqualTo(25_557_032L);
        }
    }

    @Test
    void evalAndTrainModeLogitsMatchPyTorch() {
        ResNet50 model = new ResNet50(10);
        FormulaWeights.fill(model);
        try (PointerScope ignored = new PointerScope()) {
            model.eval();
            float[] eval;
            try (NoGradGuard noGrad = new NoGradGuard()) {
                eval = Tensors.toFloats(model.forward(FormulaWeights.input()));
            }
            assertClose(eval, reference.get("eval_logits"), 1e-4);

            model.train(true);
            float[] train;
            try (NoGradGuard noGrad = new NoGradGuard()) {
                train = Tensors.toFloats(model.forward(FormulaWeights.input()));
            }
            assertClose(train, reference.get("train_mode_logits"), 1e-4);
        }
    }

    @Test
    void adamStepsMatchPyTorch() {
        ResNet50 model = new ResNet50(10);
        FormulaWeights.fill(model);
        model.train(true);
        AdamOptimizer adam = new AdamOptimizer(new ArrayList<>(StateDict.namedParameters(model).values()), 1e-3, 0.9, 0.999, 1e-8, 0);
        Tensor target = Tensors.fromData(new TensorData(TensorData.DType.INT64, new long[]{2},
                java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(7).array()));
        List<Double> losses = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            try (PointerScope ignored = new PointerScope()) {
                Tensor loss = cross_entropy(model.forward(FormulaWeights.input()), target);
                adam.zeroGrad();
                loss.backward();
                adam.step();
                losses.add(loss.item_double());
            }
        }
        JsonNode expected = reference.get("adam_lr1e-3_cross_entropy_targets_3_7_losses_first_3_steps");
        for (int i = 0; i < 3; i++) {
            assertThat(losses.get(i)).as("loss at step %d", i).isCloseTo(expected.get(i).asDouble(), within(1e-4));
        }
        float[] fcBias = Tensors.toFloats(StateDict.of(model).get("fc.bias"));
        assertClose(fcBias, reference.get("after_3_adam_steps_fc_bias"), 1e-4);
    }

    @Test
    void stepLrScheduleMatchesPyTorch() {
        StepLrSchedule schedule = new StepLrSchedule(1e-3, 20, 0.1);
        JsonNode expected = reference.get("steplr_step20_gamma0.1_lr_by_epoch_0_to_44");
        for (int epoch = 0; epoch < expected.size(); epoch++) {
            assertThat(schedule.lrAt(epoch)).as("lr at epoch %d", epoch).isCloseTo(expected.get(epoch).asDouble(), within(1e-12));
        }
    }

    private static void assertClose(float[] actual, JsonNode expected, double tolerance) {
        List<Double> flat = new ArrayList<>();
        expected.forEach(row -> {
            if (row.isArray()) {
                row.forEach(v -> flat.add(v.asDouble()));
            } else {
                flat.add(row.asDouble());
            }
        });
        assertThat(actual).hasSize(flat.size());
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("element %d", i).isCloseTo(flat.get(i), within(tolerance));
        }
    }

    private static String shape(Tensor t) {
        long[] s = Tensors.shape(t);
        return s.length == 0 ? "scalar" : java.util.Arrays.stream(s).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
}
