package org.kafkatrain.launcher;

import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.runs.RunOverride;
import org.kafkatrain.contracts.runs.RunSpec;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training run as a stage of the report's quality section: its settings from {@code run.json}, its epoch summaries
 * from {@code training.metrics} (train and val top-1/top-5 per epoch) and its wall time from the first step to the
 * last val summary.
 */
record QualityRun(String runId, RunSpec config, List<RunOverride> overrides, List<TrainingMetrics> epochs) {
    /** An epoch checkpoint of a run in the bucket, as DESIGN lays out keys: {@code runs/<run-id>/epoch-<NNNN>.tar}. */
    private static final Pattern RUN_CHECKPOINT = Pattern.compile("runs/([^/]+)/epoch-(\\d+)\\.tar");

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

    /** The run this one started from: a fork's parent, or the run whose epoch checkpoint gave it its weights. */
    Optional<String> parentRunId() {
        return Optional.ofNullable(config.start().fromRun())
                .or(() -> initWeightsCheckpoint().map(m -> m.group(1)));
    }

    /**
     * How many of the parent's epochs lie before this run's first epoch: a fork numbers its epochs on from the
     * parent's, so none; a run started from {@code epoch-NNNN.tar} follows that epoch.
     */
    int epochsAfterParentStart() {
        if (Optional.ofNullable(config.start().fromRun()).isPresent()) {
            return 0;
        }
        return initWeightsCheckpoint()
                .map(m -> Integer.parseInt(m.group(2)) + 1)
                .orElse(0);
    }

    /** Settings, starting point, changes on resume and the table of epochs. */
    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(
                Locale.ROOT,
                "Run `%s`: ResNet-50 through the Kafka path, dataset `%s` (topics `%s`, `%s`), %d epochs, batch %d,"
                        + " Adam lr %s, StepLR step %d gamma %s, augment %s, precision %s, channels_last %s, seed %d.",
                runId,
                config.data().dataset(),
                config.data().trainTopic(),
                config.data().valTopic(),
                config.epochs(),
                config.optimization().batchSize(),
                config.optimization().lr(),
                config.optimization().stepSize(),
                config.optimization().gamma(),
                config.data().augment(),
                config.compute().precision().json(),
                config.compute().channelsLast(),
                config.data().seed()));
        Optional.ofNullable(config.start().fromRun())
                .ifPresent(parent -> md.append(String.format(
                        Locale.ROOT,
                        " Forked from run `%s`'s checkpoint `%s`: its weights, Adam moments, StepLR and Kafka offsets;"
                                + " the epochs go on from the parent's.",
                        parent,
                        Optional.ofNullable(config.start().fromCheckpoint()).orElse("latest"))));
        Optional.ofNullable(config.start().initWeights())
                .ifPresent(weights -> md.append(initWeightsCheckpoint()
                        .map(m -> String.format(
                                Locale.ROOT,
                                " Starts from the weights of run `%s` after its epoch %d (`%s`), with a new Adam and"
                                        + " StepLR: a warm restart.",
                                m.group(1),
                                Integer.parseInt(m.group(2)) + 1,
                                weights))
                        .orElse(" Starts from the weights in `" + weights + "`.")));
        md.append(String.format("%n%n"));
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
            if (train.isEmpty() && val.isEmpty()) {
                continue; // a fork's epochs start after the parent's
            }
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
        return md.toString();
    }

    private Optional<Matcher> initWeightsCheckpoint() {
        return Optional.ofNullable(config.start().initWeights())
                .map(RUN_CHECKPOINT::matcher)
                .filter(Matcher::matches);
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

    static String fmt(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}
