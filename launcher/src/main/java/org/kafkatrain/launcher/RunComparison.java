package org.kafkatrain.launcher;

import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunSpecs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The tables of {@code runs show} and {@code runs compare}: hyperparameters side by side, val metrics per epoch. */
final class RunComparison {
    private RunComparison() {}

    /** One row per setting, by its path in the spec: each run's value, and {@code *} where they differ. */
    static List<List<String>> settings(List<RunSpec> specs) {
        List<Map<String, Object>> flat = specs.stream().map(RunSpecs::flat).toList();
        List<List<String>> rows = new ArrayList<>();
        for (String name : flat.get(0).keySet()) {
            List<String> row = new ArrayList<>(List.of(name));
            flat.forEach(f -> row.add(value(f.get(name))));
            boolean differs = row.subList(1, row.size()).stream().distinct().count() > 1;
            row.add(differs ? "*" : "");
            rows.add(row);
        }
        return rows;
    }

    /** One row per epoch: each run's val loss, top-1 and top-5 ({@code -} where a run has no such epoch). */
    static List<List<String>> valEpochs(List<List<TrainingMetrics>> runs) {
        TreeMap<Integer, Map<Integer, TrainingMetrics>> byEpoch = new TreeMap<>();
        for (int r = 0; r < runs.size(); r++) {
            for (TrainingMetrics m : runs.get(r)) {
                if (TrainingStep.VAL.equals(m.split()) && TrainingMetrics.EPOCH.equals(m.kind())) {
                    byEpoch.computeIfAbsent(m.epoch(), e -> new TreeMap<>()).put(r, m);
                }
            }
        }
        List<List<String>> rows = new ArrayList<>();
        byEpoch.forEach((epoch, perRun) -> {
            List<String> row = new ArrayList<>(List.of(Integer.toString(epoch)));
            for (int r = 0; r < runs.size(); r++) {
                TrainingMetrics m = perRun.get(r);
                row.add(m == null ? "-" : String.format(Locale.ROOT, "%.4f", m.loss()));
                row.add(m == null ? "-" : String.format(Locale.ROOT, "%.2f", m.top1()));
                row.add(m == null ? "-" : String.format(Locale.ROOT, "%.2f", m.top5()));
            }
            rows.add(row);
        });
        return rows;
    }

    /** The header of {@link #valEpochs}. */
    static List<String> valHeader(List<String> runIds) {
        List<String> header = new ArrayList<>(List.of("epoch"));
        for (String run : runIds) {
            header.addAll(List.of(run + " loss", "top-1 %", "top-5 %"));
        }
        return header;
    }

    /** The best val top-1 of a run's epoch summaries, or null when it has none. */
    static Double bestValTop1(List<TrainingMetrics> epochs) {
        return epochs.stream()
                .filter(m -> TrainingStep.VAL.equals(m.split()))
                .map(TrainingMetrics::top1)
                .max(Double::compare)
                .orElse(null);
    }

    private static String value(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof List<?> items) {
            return items.stream().map(RunComparison::value).collect(java.util.stream.Collectors.joining(","));
        }
        return value.toString();
    }
}
