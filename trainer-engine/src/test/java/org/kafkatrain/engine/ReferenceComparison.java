package org.kafkatrain.engine;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares numbers the engine computed with PyTorch's and collects every mismatch, so a test can assert that there
 * are none, and another that a wrong model produces some. Tolerances are relative to the largest magnitude of the
 * expected values: rounding differences scale with the values a kernel adds up, not with each element.
 */
final class ReferenceComparison {
    private final List<String> mismatches = new ArrayList<>();
    private final List<String> margins = new ArrayList<>();

    void check(String what, float[] actual, JsonNode expected, double relativeTolerance) {
        double[] a = new double[actual.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = actual[i];
        }
        check(what, a, expected, relativeTolerance);
    }

    void check(String what, double[] actual, JsonNode expected, double relativeTolerance) {
        List<Double> flat = new ArrayList<>();
        flatten(expected, flat);
        if (flat.size() != actual.length) {
            mismatches.add(what + ": " + actual.length + " values, PyTorch has " + flat.size());
            return;
        }
        double scale = flat.stream().mapToDouble(Math::abs).max().orElse(0);
        double tolerance = relativeTolerance * scale;
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double diff = Math.abs(actual[i] - flat.get(i));
            worst = Math.max(worst, diff);
            if (!(diff <= tolerance)) {
                mismatches.add(String.format(
                        "%s[%d]: %.9g, PyTorch %.9g (|diff| %.3g > %.3g)",
                        what, i, actual[i], flat.get(i), diff, tolerance));
            }
        }
        margins.add(String.format(
                "%s: worst |diff| %.3g = %.2f of the tolerance", what, worst, tolerance == 0 ? 0 : worst / tolerance));
    }

    void check(String what, double actual, JsonNode expected, double relativeTolerance) {
        check(what, new double[] {actual}, expected, relativeTolerance);
    }

    /** Prints how close each check came to its tolerance (the test log shows the margins), then the mismatches. */
    List<String> mismatches() {
        margins.forEach(m -> System.out.println("[reference] " + m));
        margins.clear();
        return List.copyOf(mismatches);
    }

    private static void flatten(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node.asDouble());
        }
    }
}
