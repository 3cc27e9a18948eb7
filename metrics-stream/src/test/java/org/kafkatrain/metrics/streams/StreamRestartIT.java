package org.kafkatrain.metrics.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.metrics.StepEvents;
import org.kafkatrain.metrics.model.Series;
import org.kafkatrain.metrics.model.SeriesBucket;
import org.kafkatrain.metrics.model.SeriesMetric;
import org.kafkatrain.testing.LocalStack;
import org.kafkatrain.testing.LocalStackExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.LongStream;

/**
 * The topology on the real broker with exactly_once_v2: stopped mid-stream and started again with an empty state
 * directory (so its stores come back from their changelogs), it emits each epoch summary exactly once.
 */
@ExtendWith(LocalStackExtension.class)
class StreamRestartIT {

    @Test
    void restartNeitherDuplicatesNorLosesEpochSummaries(@TempDir Path stateA, @TempDir Path stateB) throws Exception {
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrapServers();
        String appId = "metrics-restart-it-" + UUID.randomUUID();
        // Topics of its own, so that no other instance of the app (a developer's) writes to what this test reads.
        MetricsSettings defaults = MetricsSettings.defaults();
        MetricsSettings settings = new MetricsSettings(
                "it." + appId + ".steps",
                "it." + appId + ".metrics",
                defaults.windowSize(),
                defaults.windowAdvance(),
                defaults.grace(),
                defaults.lastN(),
                defaults.lastNEvery(),
                defaults.dedupRetention(),
                defaults.seriesRetain());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic(settings.stepsTopic(), 1, (short) 1),
                            new NewTopic(settings.metricsTopic(), 1, (short) 1)))
                    .all()
                    .get();
        }
        String run = "restart-" + UUID.randomUUID();
        long t0 = System.currentTimeMillis();

        KafkaStreams first = start(bootstrap, appId, stateA, settings);
        StepEvents.send(bootstrap, settings.stepsTopic(), StepEvents.epoch(run, 0, 20, t0));
        StepEvents.send(
                bootstrap,
                settings.stepsTopic(),
                StepEvents.epoch(run, 1, 20, t0).subList(0, 10)); // half of epoch 1
        List<TrainingMetrics> before = StepEvents.read(
                bootstrap,
                settings.metricsTopic(),
                run,
                m -> m.kind().equals(TrainingMetrics.EPOCH),
                1,
                Duration.ofSeconds(60));
        assertThat(before).hasSize(1);
        first.close(Duration.ofSeconds(30));

        KafkaStreams second = start(bootstrap, appId, stateB, settings);
        try {
            // The rest of epoch 1, with the first half sent again, as a resumed trainer re-emits steps after its
            // checkpoint.
            StepEvents.send(bootstrap, settings.stepsTopic(), StepEvents.epoch(run, 1, 20, t0));
            List<TrainingMetrics> epochs = StepEvents.read(
                    bootstrap,
                    settings.metricsTopic(),
                    run,
                    m -> m.kind().equals(TrainingMetrics.EPOCH),
                    2,
                    Duration.ofSeconds(60));
            assertThat(epochs).extracting(TrainingMetrics::epoch).containsExactly(0, 1);
            assertThat(epochs).extracting(TrainingMetrics::samples).containsExactly(160L, 160L);
            assertThat(epochs).extracting(TrainingMetrics::steps).containsExactly(20L, 20L);
            System.out.printf("[metrics-stream] epoch summaries after restart: %s%n", epochs);

            // the step history came back from its changelog: epoch 0's steps were seen by the first instance only
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ReadOnlyKeyValueStore<String, SeriesBucket> store = second.store(
                        StoreQueryParameters.fromNameAndType(SeriesLevels.STORE, QueryableStoreTypes.keyValueStore()));
                Series loss = SeriesReader.read(store, run, "train", SeriesMetric.LOSS, 0, Long.MAX_VALUE, 1000);
                assertThat(loss.points())
                        .extracting(Series.Point::step)
                        .containsExactlyElementsOf(
                                LongStream.rangeClosed(1, 40).boxed().toList());
                assertThat(loss.points()).allSatisfy(p -> assertThat(p.steps()).isEqualTo(1));
                assertThat(loss.points().get(0).value()).isEqualTo(1.0);
            });
        } finally {
            second.close(Duration.ofSeconds(30));
        }
    }

    private static KafkaStreams start(String bootstrap, String appId, Path stateDir, MetricsSettings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetteringDeserializationHandler.class);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        KafkaStreams streams = new KafkaStreams(TopologyProducer.build(settings), props);
        streams.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }
}
