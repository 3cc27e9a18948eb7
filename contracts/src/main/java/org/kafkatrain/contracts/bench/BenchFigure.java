package org.kafkatrain.contracts.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One figure a benchmark measured, as it travels to {@code ./kafka-train report}: a JSON line in the file that
 * {@code BENCH_RESULTS} names (see {@link BenchResults}).
 *
 * @param bench   the benchmark ({@code ingest}, {@code trainer}, {@code compute}, ...), one report section each
 * @param name    what was measured, with its setting ({@code "224 px none: ingest / ProducerPerformance"})
 * @param value   the figure: the median of {@code runs} when there are runs, otherwise the one measurement
 * @param unit    {@code img/s}, {@code ms}, {@code MB}, ...; {@code x} marks a ratio measured side by side
 * @param runs    the repeated runs {@code value} is the median of; empty for a single measurement
 * @param target  the figure's target as the issue states it ({@code ">= 0.90"}), or null
 * @param points  (x, y) pairs of a series, such as RSS over steps; empty otherwise
 */
public record BenchFigure(
        String bench,
        String name,
        double value,
        String unit,
        List<Double> runs,
        String target,
        List<List<Double>> points) {
    public static final String RATIO = "x";
    private static final Pattern TARGET = Pattern.compile("\\s*(>=|<=|>|<)\\s*([0-9.eE+-]+)\\s*");

    public BenchFigure {
        runs = runs == null ? List.of() : List.copyOf(runs);
        points = points == null ? List.of() : points.stream().map(List::copyOf).toList();
    }

    /** A single measurement. */
    public static BenchFigure of(String bench, String name, double value, String unit) {
        return new BenchFigure(bench, name, value, unit, List.of(), null, List.of());
    }

    /** The median of repeated runs, which are kept so that the report can show their spread. */
    public static BenchFigure median(String bench, String name, String unit, double... runs) {
        return new BenchFigure(
                bench, name, median(runs), unit, Arrays.stream(runs).boxed().toList(), null, List.of());
    }

    /** The midpoint of the sorted values; the mean of the middle two for an even count. */
    public static double median(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the median of no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public BenchFigure withTarget(String newTarget) {
        return new BenchFigure(bench, name, value, unit, runs, newTarget, points);
    }

    /** Whether {@code value} meets {@code target} ({@code ">= 0.9"}, {@code "< 1"}); empty without a target. */
    public Optional<Boolean> meetsTarget() {
        if (target == null) {
            return Optional.empty();
        }
        Matcher m = TARGET.matcher(target);
        if (!m.matches()) {
            throw new IllegalStateException("target '" + target + "' of " + name + " is not '<op> <number>'");
        }
        double bound = Double.parseDouble(m.group(2));
        return Optional.of(
                switch (m.group(1)) {
                    case ">=" -> value >= bound;
                    case "<=" -> value <= bound;
                    case ">" -> value > bound;
                    default -> value < bound;
                });
    }

    @JsonIgnore
    public boolean isRatio() {
        return RATIO.equals(unit);
    }

    public double min() {
        return runs.stream().mapToDouble(Double::doubleValue).min().orElse(value);
    }

    public double max() {
        return runs.stream().mapToDouble(Double::doubleValue).max().orElse(value);
    }
}
