package org.kafkatrain.ingest;

import java.io.PrintStream;

/** One line on stderr, redrawn at most 4 times a second: bar, count, images/s, MB/s, ETA. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private long lastDraw;

    ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    void update(long done, long bytes) {
        long now = System.nanoTime();
        if (now - lastDraw < 250_000_000L && done < total) {
            return;
        }
        lastDraw = now;
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = done / seconds;
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        long eta = rate > 0 ? (long) ((total - done) / rate) : -1;
        out.printf(
                "\r%-6s [%s%s] %d/%d  %.0f img/s  %.1f MB/s  ETA %s ",
                label,
                "#".repeat(filled),
                ".".repeat(WIDTH - filled),
                done,
                total,
                rate,
                bytes / seconds / 1e6,
                eta < 0 ? "?" : String.format("%d:%02d", eta / 60, eta % 60));
        if (done >= total) {
            out.println();
        }
        out.flush();
    }
}
