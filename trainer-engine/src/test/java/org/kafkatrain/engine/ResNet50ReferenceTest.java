package org.kafkatrain.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.pytorch.global.torch.cross_entropy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
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

/**
 * The Java ResNet-50, Adam and StepLR against numbers PyTorch 2.13 / torchvision 0.28 computed
 * ({@code tools/make_reference.py}). Each check is well-conditioned, so it holds whichever kernels oneDNN and ATen
 * pick (AVX2 or AVX-512), with tolerances about ten times the spread measured between the two.
 */
class ResNet50ReferenceTest {
    private static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        CpuThreads.use(2);
        try (InputStream in = ResNet50ReferenceTest.class.getResourceAsStream("/reference/resnet50-reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
    }

    @ParameterizedTest(name = "{0} classes")
    @ValueSource(ints = {10, 1000})
    void stateDictHasTorchvisionNamesShapesAndOrder(int classes) throws IOException {
        List<String> expected;
        try (InputStream in = getClass().getResourceAsStream("/reference/resnet50-state-dict-" + classes + ".tsv")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.startsWith("#"))
                    .map(l -> l.split("\t")[0] + "\t" + l.split("\t")[1])
                    .toList();
        }
        ResNet50 model = new ResNet50(classes);
        List<String> actual = new ArrayList<>();
        StateDict.of(model).forEach((name, t) -> actual.add(name + "\t" + shape(t)));

        assertThat(actual).containsExactlyElementsOf(expected);
        long parameters = StateDict.namedParameters(model).values().stream()
                .mapToLong(Tensor::numel)
                .sum();
        if (classes == 1000) {
            assertThat(parameters).isEqualTo(25_557_032L);
        }
    }

    @Test
    void evalModeLogitsMatchPyTorch() {
        assertThat(evalLogits(referenceModel())).isEmpty();
    }

    @Test
    void trainModeForwardAndBackwardMatchPyTorch() {
        assertThat(trainModeForwardAndBackward(referenceModel())).isEmpty();
    }

    /** Without this the checks above could pass by being too loose: one weight moved by 0.01 must show. */
    @Test
    void onePerturbedWeightIsCaught() {
        ResNet50 model = referenceModel();
        try (NoGradGuard ignored = new NoGradGuard()) {
            Tensor w = StateDict.of(model).get("layer3.2.conv2.weight");
            w.narrow(0, 0, 1).narrow(1, 0, 1).narrow(2, 1, 1).narrow(3, 1, 1).add_(new Scalar(0.01));
        }
        assertThat(evalLogits(model))
                .as("eval-mode logits of the perturbed model")
                .isNotEmpty();
        assertThat(trainModeForwardAndBackward(model))
                .as("train-mode numbers of the perturbed model")
                .isNotEmpty();
    }

    /**
     * Adam over the whole network at a learning rate where the loss falls smoothly (about 0.04 a step), so the
     * trajectory reflects the optimizer and not how its first sign-like steps amplify rounding (see make_reference.py).
     */
    @Test
    void adamTrajectoryMatchesPyTorch() {
        JsonNode adam = reference.get("adam");
        ResNet50 model = referenceModel();
        model.train(true);
        AdamOptimizer optimizer = new AdamOptimizer(
                new ArrayList<>(StateDict.namedParameters(model).values()),
                adam.get("lr").asDouble(),
                0.9,
                0.999,
                adam.get("eps").asDouble(),
                0);
        Tensor x = FormulaWeights.input(shape(reference.get("train_mode").get("shape")));
        Tensor y = FormulaWeights.targets((int) x.size(0), 10);
        double[] losses = new double[adam.get("steps").asInt()];
        for (int step = 0; step < losses.length; step++) {
            try (PointerScope ignored = new PointerScope()) {
                Tensor loss = cross_entropy(model.forward(x), y);
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                losses[step] = loss.item_double();
            }
        }
        ReferenceComparison comparison = new ReferenceComparison();
        // AVX2 and AVX-512 kernels differ by 5.9e-6 (relative) here; each step moves the loss by 1.8e-2.
        comparison.check("loss by step", losses, adam.get("losses"), 6e-5);
        assertThat(comparison.mismatches()).isEmpty();
    }

    /**
     * The optimizer's arithmetic alone, over 40 steps with weight decay: every number here is well-conditioned, so
     * the tolerance is float32 rounding over 40 steps (the worst element is 15 ulp off).
     */
    @Test
    void adamArithmeticMatchesPyTorchOverFortySteps() {
        JsonNode small = reference.get("adam_small");
        Tensor w = Tensors.floats(floats(12, j -> 0.5 * Math.sin(0.7 * j + 0.3)), 4, 3)
                .requires_grad_(true);
        Tensor b = Tensors.floats(floats(3, j -> 0.1 * Math.cos(j)), 3).requires_grad_(true);
        Tensor x = Tensors.floats(floats(20, j -> Math.sin(0.9 * j + 0.1)), 5, 4);
        Tensor y = Tensors.floats(floats(15, j -> Math.cos(1.1 * j)), 5, 3);
        AdamOptimizer optimizer = new AdamOptimizer(
                List.of(w, b),
                small.get("lr").asDouble(),
                0.9,
                0.999,
                1e-8,
                small.get("weight_decay").asDouble());
        ReferenceComparison comparison = new ReferenceComparison();
        JsonNode trajectory = small.get("trajectory");
        for (int step = 0; step < trajectory.size(); step++) {
            try (PointerScope ignored = new PointerScope()) {
                optimizer.zeroGrad();
                Tensor loss = x.matmul(w).add(b).sub(y).square().sum();
                loss.backward();
                optimizer.step();
                comparison.check(
                        "loss at step " + step,
                        loss.item_double(),
                        trajectory.get(step).get("loss"),
                        1e-5);
                comparison.check(
                        "W after step " + step,
                        Tensors.toFloats(w),
                        trajectory.get(step).get("w"),
                        1e-5);
                comparison.check(
                        "b after step " + step,
                        Tensors.toFloats(b),
                        trajectory.get(step).get("b"),
                        1e-5);
            }
        }
        assertThat(comparison.mismatches()).isEmpty();
    }

    @Test
    void stepLrScheduleMatchesPyTorch() {
        StepLrSchedule schedule = new StepLrSchedule(1e-3, 20, 0.1);
        JsonNode expected = reference.get("steplr_step20_gamma0.1_lr_by_epoch_0_to_44");
        for (int epoch = 0; epoch < expected.size(); epoch++) {
            assertThat(schedule.lrAt(epoch))
                    .as("lr at epoch %d", epoch)
                    .isCloseTo(expected.get(epoch).asDouble(), within(1e-12));
        }
    }

    private static ResNet50 referenceModel() {
        ResNet50 model = new ResNet50(10);
        FormulaWeights.fill(model);
        return model;
    }

    /** Mismatches of the eval-mode logits (running statistics: no division by a batch variance). */
    private static List<String> evalLogits(ResNet50 model) {
        JsonNode eval = reference.get("eval");
        ReferenceComparison comparison = new ReferenceComparison();
        try (PointerScope ignored = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            model.eval();
            float[] logits = Tensors.toFloats(model.forward(FormulaWeights.input(shape(eval.get("shape")))));
            // AVX2 and AVX-512 kernels differ by 4.6e-7 (relative to the largest logit).
            comparison.check("eval logits", logits, eval.get("logits"), 1e-5);
        }
        return comparison.mismatches();
    }

    /**
     * Mismatches of one train-mode forward and backward at batch 8 and 128 px, where the smallest batch-norm layer
     * (layer4, 4x4) still normalizes over 128 values: logits, loss, the fc bias gradient and gradient norms.
     */
    private static List<String> trainModeForwardAndBackward(ResNet50 model) {
        JsonNode train = reference.get("train_mode");
        ReferenceComparison comparison = new ReferenceComparison();
        try (PointerScope ignored = new PointerScope()) {
            model.train(true);
            Tensor x = FormulaWeights.input(shape(train.get("shape")));
            Tensor logits = model.forward(x);
            Tensor loss = cross_entropy(logits, FormulaWeights.targets((int) x.size(0), 10));
            loss.backward();
            // Measured spreads between AVX2 and AVX-512 kernels, relative: logits 1.8e-5, loss 3.8e-7, fc bias
            // gradient 3.5e-6, gradient norms 2.1e-4 (layer1) down to 2e-8 (fc).
            comparison.check("train-mode logits", Tensors.toFloats(logits), train.get("logits"), 2e-4);
            comparison.check("loss", loss.item_double(), train.get("loss"), 1e-5);
            Map<String, Tensor> params = StateDict.namedParameters(model);
            comparison.check(
                    "fc.bias gradient",
                    Tensors.toFloats(params.get("fc.bias").grad()),
                    train.get("fc_bias_grad"),
                    5e-5);
            train.get("grad_norms")
                    .fields()
                    .forEachRemaining(e -> comparison.check(
                            "gradient norm of " + e.getKey(),
                            l2(Tensors.toFloats(params.get(e.getKey()).grad())),
                            e.getValue(),
                            2e-3));
        }
        return comparison.mismatches();
    }

    private static double l2(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    private static float[] floats(int n, java.util.function.IntToDoubleFunction formula) {
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            v[j] = (float) formula.applyAsDouble(j);
        }
        return v;
    }

    private static long[] shape(JsonNode node) {
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = node.get(i).asLong();
        }
        return shape;
    }

    private static String shape(Tensor t) {
        long[] s = Tensors.shape(t);
        return s.length == 0
                ? "scalar"
                : java.util.Arrays.stream(s).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
}
