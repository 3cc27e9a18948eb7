package org.kafkatrain.metrics.model;

import java.util.Arrays;
import java.util.Locale;

/** The step series metrics-stream keeps per run and split; the names are those of {@code ?metric=}. */
public enum SeriesMetric {
    LOSS,
    TOP1,
    TOP5,
    LR,
    IMAGES_PER_SEC,
    REJECTED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SeriesMetric of(String id) {
        return Arrays.stream(values())
                .filter(m -> m.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown metric '" + id + "' (one of "
                        + Arrays.stream(values()).map(SeriesMetric::id).toList() + ")"));
    }
}
