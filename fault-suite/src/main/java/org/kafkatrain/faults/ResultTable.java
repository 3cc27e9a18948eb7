package org.kafkatrain.faults;

import java.util.List;
import java.util.stream.Collectors;

/** The suite's table, in Markdown: one row per drill, then each failed drill's reasons. */
final class ResultTable {
    private ResultTable() {}

    static Audit.Result skipped(Scenario scenario, String why) {
        return new Audit.Result(
                scenario.label, List.of("SKIPPED: " + why), 0, List.of(), 0, 0, false, 0, 0, "-", List.of(), 0);
    }

    static String markdown(List<Audit.Result> results) {
        StringBuilder out = new StringBuilder();
        out.append("| scenario | faults injected | samples expected / epoch | trained per epoch | extra | missing "
                + "| ids match | DLQ | DLQ repeats | latest checkpoint | result | time |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Audit.Result r : results) {
            out.append("| ").append(r.scenario());
            out.append(" | ").append(String.join("; ", r.faults()));
            out.append(" | ").append(r.expectedPerEpoch());
            out.append(" | ")
                    .append(r.trainedPerEpoch().stream().map(String::valueOf).collect(Collectors.joining(", ")));
            out.append(" | ").append(r.extra());
            out.append(" | ").append(r.missing());
            out.append(" | ").append(r.idsMatch() ? "yes" : "no");
            out.append(" | ").append(r.deadLettered());
            out.append(" | ").append(r.deadLetterDuplicates());
            out.append(" | ").append(r.latest());
            out.append(" | ").append(result(r));
            out.append(" | ").append(String.format("%.0f s", r.seconds()));
            out.append(" |\n");
        }
        for (Audit.Result r : results) {
            if (!r.passed()) {
                out.append("\n").append(r.scenario()).append(" failed:\n");
                r.failures().forEach(f -> out.append("- ").append(f).append('\n'));
            }
        }
        return out.toString();
    }

    static String line(Audit.Result r) {
        return String.format(
                "[faults] %s: %s in %.0f s (trained %s of %d per epoch, %d dead-lettered)%s",
                r.scenario(),
                result(r),
                r.seconds(),
                r.trainedPerEpoch(),
                r.expectedPerEpoch(),
                r.deadLettered(),
                r.passed() ? "" : "\n  " + String.join("\n  ", r.failures()));
    }

    private static String result(Audit.Result r) {
        if (r.faults().stream().anyMatch(f -> f.startsWith("SKIPPED"))) {
            return "skipped";
        }
        return r.passed() ? "pass" : "FAIL";
    }
}
