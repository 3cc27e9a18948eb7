package org.kafkatrain.metrics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import org.kafkatrain.contracts.Topics;

import java.time.Duration;

/** {@code metrics.*}: the topology's topics and knobs, each default written here and nowhere else. */
@ConfigMapping(prefix = "metrics")
public interface MetricsConfig {
    @WithDefault(Topics.TRAINING_STEPS)
    String stepsTopic();

    @WithDefault(Topics.TRAINING_METRICS)
    String metricsTopic();

    Window window();

    LastN lastN();

    Dedup dedup();

    Series series();

    TopicSettings topics();

    Sse sse();

    /** Hopping event-time windows. */
    interface Window {
        @WithDefault("PT60S")
        Duration size();

        @WithDefault("PT10S")
        Duration advance();

        /** How late (event time) a step may arrive and still count in its window. */
        @WithDefault("PT30S")
        Duration grace();
    }

    /** The count-based rolling metric. */
    interface LastN {
        @WithDefault("100")
        int steps();

        @WithDefault("10")
        int emitEvery();
    }

    interface Dedup {
        /** How long an event id is remembered to drop its duplicates (a resumed trainer re-emits steps). */
        @WithDefault("PT6H")
        Duration retention();
    }

    /** The step history per run: full resolution for the recent steps, coarser buckets further back. */
    interface Series {
        /** Buckets kept at each resolution (1, 16, 256, 4096 and 65536 steps): the recent steps at full resolution. */
        @WithDefault("1000")
        int retain();
    }

    /** For the topics metrics-stream creates on a fresh cluster. */
    interface TopicSettings {
        @WithDefault("1")
        int partitions();
    }

    /** The live feed behind the dashboard (server-sent events, {@code GET /runs/{id}/stream}). */
    interface Sse {
        /**
         * Clients streaming at once; one more is answered 503. Each holds a connection and a subscription to
         * training.metrics for as long as it stays, so without a bound a client opening streams in a loop would
         * exhaust the instance.
         */
        @WithDefault("64")
        int maxClients();
    }

    /** The defaults above, without a running application (for the topology's plain tests and benchmarks). */
    static MetricsConfig defaults() {
        return new SmallRyeConfigBuilder()
                .withMapping(MetricsConfig.class)
                .build()
                .getConfigMapping(MetricsConfig.class);
    }
}
