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
        return of(MetricsConfig.defaults());
    }

    /** The knobs a running application's configuration sets. */
    public static MetricsSettings of(MetricsConfig config) {
        return new MetricsSettings(
                config.stepsTopic(),
                config.metricsTopic(),
                config.window().size(),
                config.window().advance(),
                config.window().grace(),
                config.lastN().steps(),
                config.lastN().emitEvery(),
                config.dedup().retention(),
                config.series().retain());
    }
}
