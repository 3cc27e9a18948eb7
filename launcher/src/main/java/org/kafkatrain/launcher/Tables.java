package org.kafkatrain.launcher;

import org.kafkatrain.contracts.runs.CheckpointObject;

import java.util.ArrayList;
import java.util.List;
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

    /** The run's checkpoint objects as trainer-service lists them (object, size and their metadata). */
    static String checkpoints(List<CheckpointObject> objects) {
        List<List<String>> rows = objects.stream()
                .map(c -> List.of(
                        c.object(),
                        String.format("%.1f", c.bytes() / 1e6),
                        text(c.epoch()),
                        text(c.step()),
                        text(c.loss()),
                        text(c.acc1()),
                        text(c.acc5())))
                .toList();
        return render(List.of("object", "MB", "epoch", "step", "loss", "acc1", "acc5"), rows);
    }

    static String text(Object value) {
        return value == null || value.toString().isEmpty() ? "-" : Objects.toString(value);
    }

    private static String cell(List<String> row, int i) {
        return i < row.size() ? row.get(i) : "";
    }
}
