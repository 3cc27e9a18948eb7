package org.kafkatrain.launcher;

import org.kafkatrain.contracts.TrainingMetrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The report's quality section: a run and the runs it started from (forks, warm restarts from another run's
 * checkpoint), oldest first, each a stage with its own table; the best val top-1 over all of them is held against the
 * target, and the wall time is the sum of the stages'.
 */
record QualityLineage(List<QualityRun> stages, double targetTop1) {
    QualityLineage {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a quality section needs a run");
        }
        stages = List.copyOf(stages);
    }

    /** A stage's first epoch on the x axis of all stages: its parent's offset plus the parent's epochs before it. */
    int epochOffset(int stage) {
        return stage == 0 ? 0 : epochOffset(stage - 1) + stages.get(stage).epochsAfterParentStart();
    }

    double wallMinutes() {
        return stages.stream().mapToDouble(QualityRun::wallMinutes).sum();
    }

    String markdown(String chart) {
        StringBuilder md = new StringBuilder();
        QualityRun last = stages.get(stages.size() - 1);
        if (stages.size() > 1) {
            md.append(String.format(
                    Locale.ROOT,
                    "Run `%s` builds on %d earlier run%s, all through the Kafka path. The stages in order:%n%n",
                    last.runId(),
                    stages.size() - 1,
                    stages.size() == 2 ? "" : "s"));
        }
        for (int i = 0; i < stages.size(); i++) {
            QualityRun stage = stages.get(i);
            if (stages.size() > 1) {
                md.append(String.format(Locale.ROOT, "### Stage %d: `%s`%n%n", i + 1, stage.runId()));
            }
            md.append(stage.markdown());
            if (stages.size() > 1) {
                stage.bestVal()
                        .ifPresent(best -> md.append(String.format(
                                Locale.ROOT,
                                "Best val top-1 of this stage %.2f%% at its epoch %d of %d; wall time %.0f min.%n%n",
                                best.top1(),
                                best.epoch() + 1,
                                stage.val().size(),
                                stage.wallMinutes())));
            }
        }
        if (stages.size() > 1) {
            md.append("### Over the stages\n\n");
        }
        bestOverall().ifPresent(best -> md.append(verdict(best)));
        last.val().stream()
                .max(Comparator.comparingInt(TrainingMetrics::epoch))
                .ifPresent(end -> md.append(String.format(
                        Locale.ROOT,
                        "The last epoch's val top-1: %.2f%%. The best epoch is picked on the images it is measured"
                                + " on, so the best reads a little high; the last does not.%n%n",
                        end.top1())));
        md.append("![")
                .append(last.runId())
                .append(": top-1 per epoch](")
                .append(chart)
                .append(")\n");
        return md.toString();
    }

    private String verdict(Best best) {
        String reached = best.metrics().top1() >= targetTop1 ? "met" : "**missed**";
        if (stages.size() == 1) {
            return String.format(
                    Locale.ROOT,
                    "Best val top-1 **%.2f%%** (top-5 %.2f%%) at epoch %d of %d; target >= %s%%: %s. Wall time"
                            + " %.0f min, evaluation and any restart included.%n%n",
                    best.metrics().top1(),
                    best.metrics().top5(),
                    best.metrics().epoch() + 1,
                    best.stage().val().size(),
                    target(),
                    reached,
                    wallMinutes());
        }
        return String.format(
                Locale.ROOT,
                "Best val top-1 **%.2f%%** (top-5 %.2f%%) at epoch %d of `%s`, epoch %d over the stages;"
                        + " target >= %s%%: %s. Wall time %s = %.0f min over the stages, evaluation and any restart"
                        + " included.%n%n",
                best.metrics().top1(),
                best.metrics().top5(),
                best.metrics().epoch() + 1,
                best.stage().runId(),
                best.overallEpoch() + 1,
                target(),
                reached,
                stages.stream()
                        .map(s -> QualityRun.fmt("%.0f", s.wallMinutes()))
                        .collect(Collectors.joining(" + ")),
                wallMinutes());
    }

    /** The target as written: 94, 92.5. */
    String target() {
        return BigDecimal.valueOf(targetTop1).stripTrailingZeros().toPlainString();
    }

    private Optional<Best> bestOverall() {
        List<Best> all = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            QualityRun stage = stages.get(i);
            int offset = epochOffset(i);
            stage.bestVal().ifPresent(m -> all.add(new Best(stage, m, offset + m.epoch())));
        }
        return all.stream().max(Comparator.comparingDouble(b -> b.metrics().top1()));
    }

    private record Best(QualityRun stage, TrainingMetrics metrics, int overallEpoch) {}
}
