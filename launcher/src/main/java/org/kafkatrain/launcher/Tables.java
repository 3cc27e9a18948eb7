package org.kafkatrain.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Plain-text tables: a header and rows, columns as wide as their widest cell. */
final class Tables {
    private Tables() {}

    static String render(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], cell(row, i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all) {
            for (int i = 0; i < width.length; i++) {
                out.append(String.format("%-" + width[i] + "s", cell(row, i)));
                out.append(i == width.length - 1 ? "\n" : "  ");
            }
        }
        return out.toString().replaceAll(" +\n", "\n");
    }

    /** The run's checkpoint objects as trainer-service lists them (object, bytes and their epoch/step/loss/acc metadata). */
    static String checkpoints(List<Map<String, Object>> objects) {
        List<List<String>> rows = objects.stream()
                .map(m -> List.of(
                        text(m.get("object")),
                        megabytes(m.get("bytes")),
                        text(m.get("epoch")),
                        text(m.get("step")),
                        text(m.get("loss")),
                        text(m.get("acc1")),
                        text(m.get("acc5"))))
                .toList();
        return render(List.of("object", "MB", "epoch", "step", "loss", "acc1", "acc5"), rows);
    }

    private static String megabytes(Object bytes) {
        return bytes instanceof Number n ? String.format("%.1f", n.longValue() / 1e6) : "-";
    }

    static String text(Object value) {
        return value == null || value.toString().isEmpty() ? "-" : Objects.toString(value);
    }

    private static String cell(List<String> row, int i) {
        return i < row.size() ? row.get(i) : "";
    }
}
