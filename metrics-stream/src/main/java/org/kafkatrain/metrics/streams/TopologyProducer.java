package org.kafkatrain.metrics.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.kafkatrain.contracts.EventSerdes;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.metrics.config.MetricsConfig;
import org.kafkatrain.metrics.model.EpochProgress;
import org.kafkatrain.metrics.model.LastSteps;
import org.kafkatrain.metrics.model.SeriesBucket;
import org.kafkatrain.metrics.model.StepAggregate;

import java.util.List;

/**
 * training.steps -> training.metrics. Steps are deduplicated, then three aggregations run side by side:
 * hopping event-time windows per run and split (emitted once per window, when it closes), the last N steps
 * (every few steps) and whole epochs (once, when complete); beside them the step history of each run is kept
 * for the curves ({@link StepSeries}). A second source reads training.metrics back into
 * the stores the REST API queries.
 */
@ApplicationScoped
public class TopologyProducer {
    @Inject
    MetricsConfig config;

    @Inject
    TopicsInitializer topics;

    @Produces
    public Topology buildTopology() {
        topics.ensure(List.of(config.stepsTopic(), config.metricsTopic()));
        return build(MetricsSettings.of(config));
    }

    public static Topology build(MetricsSettings s) {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<TrainingStep> stepSerde = EventSerdes.trainingStep();
        Serde<TrainingMetrics> metricsSerde = EventSerdes.trainingMetrics();

        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DeduplicateSteps.STORE, s.dedupRetention(), s.dedupRetention(), false),
                Serdes.String(),
                Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RollingMetrics.LAST_STORE), Serdes.String(), LastSteps.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RollingMetrics.EPOCH_STORE),
                Serdes.String(),
                JsonSerde.of(EpochProgress.class)));

        KStream<String, TrainingStep> steps = builder.stream(
                        s.stepsTopic(),
                        Consumed.with(Serdes.String(), Serdes.serdeFrom(stepSerde.serializer(), new StepDeserializer()))
                                .withTimestampExtractor(new StepTimestampExtractor()))
                .processValues(() -> new DeduplicateSteps(s.dedupRetention()), DeduplicateSteps.STORE);

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SeriesLevels.STORE), Serdes.String(), SeriesBucket.serde()));
        steps.process(() -> new StepSeries(s.seriesRetain()), SeriesLevels.STORE);

        KStream<String, TrainingMetrics> windowed = steps.filter((run, step) -> !step.isEpochEnd())
                .groupBy(
                        (run, step) -> StreamKeys.runSplit(step.runId(), step.split()),
                        Grouped.with("by-run-split", Serdes.String(), stepSerde))
                .windowedBy(
                        TimeWindows.ofSizeAndGrace(s.windowSize(), s.grace()).advanceBy(s.windowAdvance()))
                .emitStrategy(EmitStrategy.onWindowClose())
                .aggregate(
                        () -> StepAggregate.EMPTY,
                        (key, step, agg) -> agg.add(step),
                        Materialized.<String, StepAggregate, WindowStore<Bytes, byte[]>>as("step-windows")
                                .withKeySerde(Serdes.String())
                                .withValueSerde(JsonSerde.of(StepAggregate.class)))
                .toStream()
                .map((window, agg) -> {
                    String key = window.key();
                    String run = StreamKeys.runOf(key);
                    String split = key.substring(run.length() + 1);
                    return KeyValue.pair(
                            run,
                            agg.toMetrics(
                                    TrainingMetrics.WINDOW,
                                    run,
                                    split,
                                    agg.epoch(),
                                    window.window().start(),
                                    window.window().end(),
                                    s.windowSize().toMillis()));
                });

        KStream<String, TrainingMetrics> rolling = steps.process(
                () -> new RollingMetrics(s.lastN(), s.lastNEvery()),
                RollingMetrics.LAST_STORE,
                RollingMetrics.EPOCH_STORE);

        windowed.merge(rolling).to(s.metricsTopic(), Produced.with(Serdes.String(), metricsSerde));

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MetricsRecorder.LATEST_STORE), Serdes.String(), metricsSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MetricsRecorder.HISTORY_STORE), Serdes.String(), metricsSerde));
        builder.stream(s.metricsTopic(), Consumed.with(Serdes.String(), metricsSerde))
                .process(MetricsRecorder::new, MetricsRecorder.LATEST_STORE, MetricsRecorder.HISTORY_STORE);
        return builder.build();
    }
}
