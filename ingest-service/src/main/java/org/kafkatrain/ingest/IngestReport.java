package org.kafkatrain.ingest;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What an ingestion did: images and records per split, bytes, per-class counts, and every skipped file with its reason. */
public record IngestReport(
        String dataset,
        Map<String, Long> images,
        Map<String, Long> records,
        long bytes,
        double seconds,
        Map<String, Map<String, Long>> perClass,
        List<String> skipped) {

    void print(PrintStream out) {
        out.printf(
                "dataset %s: %s images in %s records, %.1f MB in %.1f s (%.0f img/s, %.1f MB/s)%n",
                dataset,
                new TreeMap<>(images),
                new TreeMap<>(records),
                bytes / 1e6,
                seconds,
                images.values().stream().mapToLong(Long::longValue).sum() / Math.max(seconds, 1e-3),
                bytes / 1e6 / Math.max(seconds, 1e-3));
        perClass.forEach((split, counts) -> out.printf("  %-5s %s%n", split, counts));
        if (skipped.isEmpty()) {
            out.println("skipped: none");
        } else {
            out.printf("skipped: %d%n", skipped.size());
            skipped.forEach(s -> out.println("  " + s));
        }
    }
}
