package org.kafkatrain.metrics.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.EventSerdes;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.metrics.model.Series;
import org.kafkatrain.metrics.model.SeriesBucket;
import org.kafkatrain.metrics.model.SeriesMetric;

import java.util.Properties;

/** The step history: every step while it is recent, coarser buckets further back, bounded per run. */
class StepSeriesTest {
    private static final int RETAIN = 16;
    private static final MetricsSettings SETTINGS = new MetricsSettings(
            "training.steps",
            "training.metrics",
            MetricsSettings.defaults().windowSize(),
            MetricsSettings.defaults().windowAdvance(),
            MetricsSettings.defaults().grace(),
            100,
            10,
            MetricsSettings.defaults().dedupRetention(),
            RETAIN);

    private TopologyTestDriver driver;
    private TestInputTopic<String, TrainingStep> steps;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "series-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(TopologyProducer.build(SETTINGS), props);
        steps = driver.createInputTopic(
                "training.steps",
                new StringSerializer(),
                EventSerdes.trainingStep().serializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void aShortRunIsServedAtFullResolution() {
        for (long s = 1; s <= RETAIN; s++) {
            send(train("r", s, 2.0 / s, s <= 8 ? 1e-3 : 1e-4));
        }
        Series loss = read("r", "train", SeriesMetric.LOSS, 0, Long.MAX_VALUE, 1000);
        assertThat(loss.resolution()).isEqualTo(1);
        assertThat(loss.points()).hasSize(RETAIN);
        assertThat(loss.points().get(9).step()).isEqualTo(10);
        assertThat(loss.points().get(9).value()).isCloseTo(0.2, within(1e-12));
        Series lr = read("r", "train", SeriesMetric.LR, 0, Long.MAX_VALUE, 1000);
        assertThat(lr.points().get(7).value()).isEqualTo(1e-3);
        assertThat(lr.points().get(8).value()).as("StepLR's staircase").isEqualTo(1e-4);
        // four points: buckets of four steps, each the mean over its samples with its range
        Series four = read("r", "train", SeriesMetric.LOSS, 0, Long.MAX_VALUE, 4);
        assertThat(four.points()).hasSize(4);
        assertThat(four.resolution()).isEqualTo(4);
        Series.Point first = four.points().get(0);
        assertThat(first.fromStep()).isEqualTo(1);
        assertThat(first.step()).isEqualTo(4);
        assertThat(first.value()).isCloseTo((2.0 + 1.0 + 2.0 / 3 + 0.5) / 4, within(1e-12));
        assertThat(first.max()).isEqualTo(2.0);
        assertThat(first.min()).isEqualTo(0.5);
    }

    @Test
    void aLongRunKeepsRecentStepsExactAndItsWholeHistoryInBoundedBuckets() {
        int total = 1_500;
        for (long s = 1; s <= total; s++) {
            send(train("long", s, 1.0, 1e-3));
        }
        // bounded: at most RETAIN buckets per level
        assertThat(keys("long|train|")).isLessThanOrEqualTo(RETAIN * SeriesLevels.WIDTHS.length);
        // the recent steps at full resolution
        Series recent = read("long", "train", SeriesMetric.TOP1, total - RETAIN + 1, total, 1000);
        assertThat(recent.resolution()).isEqualTo(1);
        assertThat(recent.points()).hasSize(RETAIN);
        assertThat(recent.points().get(0).step()).isEqualTo(total - RETAIN + 1);
        // a little further back: the next level, 16 steps a bucket
        assertThat(read("long", "train", SeriesMetric.TOP1, total - 100, total, 1000)
                        .resolution())
                .isEqualTo(16);
        // the whole run: from a coarse level, every sample still counted once
        Series all = read("long", "train", SeriesMetric.TOP1, 0, Long.MAX_VALUE, 200);
        assertThat(all.points()).hasSizeLessThanOrEqualTo(200);
        assertThat(all.resolution()).isEqualTo(256);
        assertThat(all.points().get(0).fromStep()).isEqualTo(1);
        assertThat(all.points().get(all.points().size() - 1).step()).isEqualTo(total);
        assertThat(all.points().stream().mapToLong(Series.Point::steps).sum()).isEqualTo(total);
        assertThat(all.points()).allSatisfy(p -> assertThat(p.value()).isEqualTo(50.0));
    }

    @Test
    void valHasOnePointPerEvaluationAtTheStepOfItsWeights() {
        send(train("v", 1, 1.0, 1e-3));
        for (int batch = 0; batch < 3; batch++) {
            send(val("v", 94, batch, batch < 2 ? 8 : 4, batch < 2 ? 6 : 1));
            send(val("v", 188, batch, batch < 2 ? 8 : 4, 8));
        }
        Series top1 = read("v", "val", SeriesMetric.TOP1, 0, Long.MAX_VALUE, 1000);
        assertThat(top1.points()).extracting(Series.Point::step).containsExactly(94L, 188L);
        assertThat(top1.points().get(0).value()).as("13 of 20 samples").isCloseTo(65.0, within(1e-9));
        assertThat(top1.points().get(1).steps()).isEqualTo(3);
    }

    private Series read(String run, String split, SeriesMetric metric, long from, long to, int points) {
        KeyValueStore<String, SeriesBucket> store = driver.getKeyValueStore(SeriesLevels.STORE);
        return SeriesReader.read(store, run, split, metric, from, to, points);
    }

    private long keys(String prefix) {
        KeyValueStore<String, SeriesBucket> store = driver.getKeyValueStore(SeriesLevels.STORE);
        long n = 0;
        try (KeyValueIterator<String, SeriesBucket> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, SeriesBucket> kv = it.next();
                n += kv.key.startsWith(prefix) ? 1 : 0;
            }
        }
        return n;
    }

    private void send(TrainingStep step) {
        steps.pipeInput(step.runId(), step, step.timestamp());
    }

    private static TrainingStep train(String run, long step, double loss, double lr) {
        return new TrainingStep(
                1,
                TrainingStep.STEP,
                run,
                TrainingStep.TRAIN,
                0,
                step,
                (int) step,
                8,
                loss,
                4,
                8,
                lr,
                100,
                0,
                1_000L * step,
                null);
    }

    private static TrainingStep val(String run, long step, int batch, int samples, long correct) {
        return new TrainingStep(
                1,
                TrainingStep.STEP,
                run,
                TrainingStep.VAL,
                (int) (step / 94 - 1),
                step,
                batch,
                samples,
                1.0,
                correct,
                samples,
                1e-3,
                300,
                0,
                1_000L * step + batch,
                null);
    }
}
