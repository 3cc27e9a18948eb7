package org.kafkatrain.metrics.rest;

import org.kafkatrain.contracts.TrainingMetrics;

import java.util.List;

/** The per-epoch history as a plain-text table for terminals: what {@code ./kafka-train demo} prints at its end. */
public final class EpochTable {
    static final String HEADER = String.format(
            "%-6s %-5s %8s %9s %8s %8s %9s", "epoch", "split", "samples", "loss", "top-1 %", "top-5 %", "img/s");

    private EpochTable() {}

    static String render(List<TrainingMetrics> epochs) {
        StringBuilder table = new StringBuilder(HEADER).append('\n');
        epochs.forEach(m -> table.append(
                        row(m.epoch(), m.split(), m.samples(), m.loss(), m.top1(), m.top5(), m.imagesPerSec()))
                .append('\n'));
        return table.toString();
    }

    static String row(int epoch, String split, long samples, double loss, double top1, double top5, double rate) {
        return String.format("%-6d %-5s %8d %9.4f %8.2f %8.2f %9.1f", epoch, split, samples, loss, top1, top5, rate);
    }
}
