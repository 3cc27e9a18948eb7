package org.kafkatrain.faults.abuse;

import org.kafkatrain.faults.abuse.AbuseSuite.Outcome;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The suite's table, in Markdown: one row per case, then each failed case's reasons. */
final class AbuseTable {
    private AbuseTable() {}

    static String markdown(List<Outcome> outcomes, Duration total) {
        StringBuilder out = new StringBuilder();
        out.append("| # | case | input | target | answer | time | memory after (growth: heap / native) | result |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        int n = 0;
        for (Outcome o : outcomes) {
            out.append("| ").append(++n);
            out.append(" | ").append(o.c().id());
            out.append(" | ").append(cell(o.c().input()));
            out.append(" | ").append(cell(o.c().where()));
            out.append(" | ").append(cell(o.answer().text()));
            out.append(" | ").append(time(o.answer().time()));
            out.append(" | ").append(o.memory());
            out.append(" | ").append(o.passed() ? "pass" : "FAIL");
            out.append(" |\n");
        }
        long failed = outcomes.stream().filter(o -> !o.passed()).count();
        out.append(String.format(
                Locale.ROOT,
                "%n%d cases, %d passed, %d failed, in %d min %02d s.%n",
                outcomes.size(),
                outcomes.size() - failed,
                failed,
                total.toMinutes(),
                total.toSecondsPart()));
        for (Outcome o : outcomes) {
            if (!o.passed()) {
                out.append("\n").append(o.c().id()).append(" failed:\n");
                o.answer().failures().forEach(f -> out.append("- ").append(f).append('\n'));
            }
        }
        return out.toString();
    }

    static String line(Outcome o) {
        return String.format(
                Locale.ROOT,
                "%s %s: %s in %s, %s%s",
                o.passed() ? "pass" : "FAIL",
                o.c().id(),
                o.answer().text(),
                time(o.answer().time()),
                o.memory(),
                o.passed() ? "" : "\n  " + String.join("\n  ", o.answer().failures()));
    }

    private static String time(Duration d) {
        return d.toMillis() < 10_000
                ? String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9)
                : String.format(Locale.ROOT, "%.0f s", d.toNanos() / 1e9);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
