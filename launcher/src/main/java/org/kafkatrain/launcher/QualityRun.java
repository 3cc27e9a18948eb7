package org.kafkatrain.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.runs.RunOverride;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A training run as the report's quality section: its settings from {@code run.json}, its epoch summaries from
 * {@code training.metrics} (train and val top-1/top-5 per epoch) and its wall time from the first step to the last
 * val summary.
 */
record QualityRun(
        String runId, JsonNode config, List<RunOverride> overrides, List<TrainingMetrics> epochs, double targetTop1) {
    Optional<TrainingMetrics> bestVal() {
        return val().stream().max(Comparator.comparingDouble(TrainingMetrics::top1));
    }

    List<TrainingMetrics> val() {
        return epochs.stream().filter(m -> m.split().equals("val")).toList();
    }

    /** From the first train step to the end of the last val summary, restarts and evaluation included. */
    double wallMinutes() {
        long start =
                epochs.stream().mapToLong(TrainingMetrics::windowStart).min().orElse(0);
        long end = epochs.stream().mapToLong(TrainingMetrics::windowEnd).max().orElse(0);
        return (end - start) / 60_000.0;
    }

    String markdown(String chart) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(
                Locale.ROOT,
                "Run `%s`: ResNet-50 through the Kafka path, dataset `%s` (topics `%s`, `%s`), %d epochs, batch %d,"
                        + " Adam lr %s, StepLR step %d gamma %s, augment %s, precision %s, channels_last %s, seed %d.%n%n",
                runId,
                config.path("dataset").asText(),
                config.path("trainTopic").asText(),
                config.path("valTopic").asText(),
                config.path("epochs").asInt(),
                config.path("batchSize").asInt(),
                config.path("lr").asText(),
                config.path("stepSize").asInt(),
                config.path("gamma").asText(),
                config.path("augment").asText(),
                config.path("precision").asText("fp32"),
                config.path("channelsLast").asText("false"),
                config.path("seed").asLong()));
        for (RunOverride o : overrides) {
            md.append(String.format(
                    Locale.ROOT,
                    "Resumed from epoch %d on with changed settings (`--override`): %s.%n%n",
                    firstEpochAfter(o.at()) + 1,
                    String.join(", ", o.changes())));
        }
        md.append(
                "| epoch | train samples | train loss | train top-1 % | val samples | val loss | val top-1 % | val top-5 % |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int last = epochs.stream().mapToInt(TrainingMetrics::epoch).max().orElse(-1);
        for (int e = 0; e <= last; e++) {
            Optional<TrainingMetrics> train = summary("train", e);
            Optional<TrainingMetrics> val = summary("val", e);
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %s | %s | %s | %s | %s | %s |%n",
                    e + 1,
                    train.map(m -> Long.toString(m.samples())).orElse(""),
                    train.map(m -> fmt("%.4f", m.loss())).orElse(""),
                    train.map(m -> fmt("%.2f", m.top1())).orElse(""),
                    val.map(m -> Long.toString(m.samples())).orElse(""),
                    val.map(m -> fmt("%.4f", m.loss())).orElse(""),
                    val.map(m -> fmt("%.2f", m.top1())).orElse(""),
                    val.map(m -> fmt("%.2f", m.top5())).orElse("")));
        }
        md.append('\n');
        bestVal()
                .ifPresent(best -> md.append(String.format(
                        Locale.ROOT,
                        "Best val top-1 **%.2f%%** (top-5 %.2f%%) at epoch %d of %d; target >= %.0f%%: %s. Wall time"
                                + " %.0f min, evaluation and any restart included.%n%n",
                        best.top1(),
                        best.top5(),
                        best.epoch() + 1,
                        val().size(),
                        targetTop1,
                        best.top1() >= targetTop1 ? "met" : "**missed**",
                        wallMinutes())));
        md.append("![")
                .append(runId)
                .append(": top-1 per epoch](")
                .append(chart)
                .append(")\n");
        return md.toString();
    }

    /** The first epoch whose training ended after {@code millis}: the one a change made then applied to first. */
    private int firstEpochAfter(long millis) {
        return epochs.stream()
                .filter(m -> m.split().equals("train") && m.windowEnd() > millis)
                .mapToInt(TrainingMetrics::epoch)
                .min()
                .orElse(epochs.stream().mapToInt(TrainingMetrics::epoch).max().orElse(-1) + 1);
    }

    private Optional<TrainingMetrics> summary(String split, int epoch) {
        return epochs.stream()
                .filter(m -> m.split().equals(split) && m.epoch() == epoch)
                .findFirst();
    }

    private static String fmt(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}
