package org.kafkatrain.launcher;

import org.kafkatrain.contracts.runs.RunStatus;

import java.util.List;
import java.util.Locale;

/** One line that says where a run is; what is not known yet shows as "-", never as 0 or -1. */
final class ProgressLine {
    private static final int BAR = 20;

    private ProgressLine() {}

    static String of(RunStatus s) {
        int shownEpoch = s.epochs() == 0 ? s.epoch() : Math.min(s.epoch() + 1, s.epochs());
        long total = s.epochSamplesTotal();
        long done = Math.min(s.epochSamplesDone(), total);
        int filled = total > 0 ? (int) (BAR * done / total) : 0;
        return String.format(
                        Locale.ROOT,
                        "%-9s epoch %d/%d [%-" + BAR
                                + "s] %s  step %d  loss %s  lr %.1e  %s img/s  ETA %s  val top-1 %s",
                        s.queuePosition() == null ? s.state() : s.state() + " #" + s.queuePosition(),
                        shownEpoch,
                        s.epochs(),
                        "#".repeat(filled),
                        total > 0 ? done + "/" + total : "-",
                        s.step(),
                        s.loss() == null ? "-" : String.format(Locale.ROOT, "%.4f", s.loss()),
                        s.lr(),
                        s.imagesPerSec() == null ? "-" : String.format(Locale.ROOT, "%.0f", s.imagesPerSec()),
                        duration(s.etaSeconds()),
                        s.lastValTop1() == null ? "-" : String.format(Locale.ROOT, "%.2f%%", s.lastValTop1()))
                + replicas(s);
    }

    /**
     * A data-parallel run's rank count, and the ranks in another state than the run's (a rank's report is up to a
     * second old, so steps are not compared).
     */
    private static String replicas(RunStatus s) {
        if (s.replicas() == null || s.replicas().isEmpty()) {
            return "";
        }
        List<String> apart = s.replicas().stream()
                .filter(r -> r.state() != s.state())
                .map(r -> "rank " + r.rank() + " " + r.state() + " at step " + r.step())
                .toList();
        return "  " + s.replicas().size() + " replicas"
                + (apart.isEmpty() ? "" : " (" + String.join(", ", apart) + ")");
    }

    /** 75 s -> "1m15s", 3700 s -> "1h01m". */
    static String duration(Long seconds) {
        if (seconds == null) {
            return "-";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
