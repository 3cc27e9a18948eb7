package org.kafkatrain.metrics.streams;

import org.kafkatrain.metrics.config.MetricsConfig;

import java.time.Duration;

/**
 * The topology's knobs as a plain value, so {@link TopologyProducer#build} runs without Quarkus. Defaults come from
 * {@link MetricsConfig}.
 *
 * @param windowSize     hopping window length (event time)
 * @param windowAdvance  hop between window starts
 * @param grace          how late (event time) a step may arrive and still count in its window
 * @param lastN          steps in the count-based rolling metric
 * @param lastNEvery     emit the count-based metric every this many steps
 * @param dedupRetention how long an event id is remembered to drop its duplicates
 * @param seriesRetain   buckets of the step history kept at each resolution
 */
public record MetricsSettings(
        String stepsTopic,
        String metricsTopic,
        Duration windowSize,
        Duration windowAdvance,
        Duration grace,
        int lastN,
        int lastNEvery,
        Duration dedupRetention,
        int seriesRetain) {
    public static MetricsSettings defaults() {
        return MetricsConfig.defaults().settings();
    }
}
