package org.kafkatrain.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.engine.Batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.LongStream;

/** The epoch data path over an in-memory source: order, resume skip, evaluation cap, errors, and who closes the source. */
class EpochBatchesTest {
    private static final BatchShape SHAPE = new BatchShape(4, 1, 1, 1);

    @Test
    void sameSeedSameOrderAndAResumedEpochSkipsExactlyTheSamplesAlreadyTrained() throws Exception {
        InMemorySource source = new InMemorySource(20);
        List<Long> full =
                labels(EpochBatches.train(source, "t", "topic", span(0), Stripe.ALL, SHAPE, 8, 7, false, r -> {}));
        assertThat(full)
                .hasSize(20)
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.range(0, 20).boxed().toList());
        assertThat(full)
                .as("shuffled")
                .isNotEqualTo(LongStream.range(0, 20).boxed().toList());
        assertThat(labels(EpochBatches.train(source, "t", "topic", span(0), Stripe.ALL, SHAPE, 8, 7, false, r -> {})))
                .isEqualTo(full);

        List<Long> resumed =
                labels(EpochBatches.train(source, "t", "topic", span(6), Stripe.ALL, SHAPE, 8, 7, false, r -> {}));
        assertThat(resumed).isEqualTo(full.subList(6, 20));
    }

    /**
     * The audit of one epoch split between two replicas: what rank 0 and rank 1 train together is the epoch, with
     * no sample on both, also for an odd count and a resumed epoch, and each stripe is the full order's every
     * other sample (what one trainer with the joint batch would see, in its order).
     */
    @Test
    void twoStripesCoverTheEpochWithoutOverlapFreshAndResumed() throws Exception {
        InMemorySource source = new InMemorySource(21);
        EpochSpan odd = new EpochSpan(Map.of(0, 0L), Map.of(0, 21L), 0, 0);
        List<Long> full =
                labels(EpochBatches.train(source, "t", "topic", odd, Stripe.ALL, SHAPE, 8, 7, false, r -> {}));
        for (long skip : new long[] {0, 6}) {
            EpochSpan span = new EpochSpan(Map.of(0, 0L), Map.of(0, 21L), 0, skip);
            List<Long> rank0 = labels(
                    EpochBatches.train(source, "t", "topic", span, new Stripe(0, 2), SHAPE, 8, 7, false, r -> {}));
            List<Long> rank1 = labels(
                    EpochBatches.train(source, "t", "topic", span, new Stripe(1, 2), SHAPE, 8, 7, false, r -> {}));
            List<Long> rest = full.subList((int) skip, 21);
            assertThat(rank0).as("skip %d", skip).doesNotContainAnyElementsOf(rank1);
            List<Long> union = new ArrayList<>(rank0);
            union.addAll(rank1);
            assertThat(union).containsExactlyInAnyOrderElementsOf(rest);
            for (int i = 0; i < rest.size(); i++) {
                assertThat((i % 2 == 0 ? rank0 : rank1).get(i / 2)).isEqualTo(rest.get(i));
            }
        }
    }

    @Test
    void continuousEpochReportsWhereItsReadingEnded() throws Exception {
        AtomicReference<Map<Integer, Long>> reached = new AtomicReference<>();
        List<Long> got = labels(EpochBatches.train(
                new InMemorySource(50),
                "t",
                "topic",
                new EpochSpan(Map.of(0, 10L), null, 12, 0),
                Stripe.ALL,
                SHAPE,
                4,
                1,
                false,
                reached::set));
        assertThat(got)
                .hasSize(12)
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.range(10, 22).boxed().toList());
        assertThat(reached.get()).isEqualTo(Map.of(0, 22L));
    }

    @Test
    void evaluationReadsTheTopicInOrderUpToTheLimit() throws Exception {
        assertThat(labels(EpochBatches.eval(new InMemorySource(10), "v", "topic", Stripe.ALL, SHAPE, 6)))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void eachSourceIsOpenedReadAndClosedOnTheFeedThread() throws Exception {
        InMemorySource source = new InMemorySource(5);
        labels(EpochBatches.eval(source, "v", "topic", Stripe.ALL, SHAPE, Long.MAX_VALUE));
        assertThat(source.threads)
                .hasSize(1)
                .doesNotContain(Thread.currentThread().getName());
        assertThat(source.open).isZero();
    }

    @Test
    void aFailingSourceFailsTheConsumerAndIsStillClosed() {
        InMemorySource source = new InMemorySource(5) {
            @Override
            public long read(
                    Map<Integer, Long> start,
                    Map<Integer, Long> end,
                    Consumer<Sample> sink,
                    BooleanSupplier cancelled) {
                throw new IllegalStateException("broker gone");
            }
        };
        assertThatThrownBy(() -> labels(EpochBatches.eval(source, "v", "topic", Stripe.ALL, SHAPE, 10)))
                .hasMessageContaining("broker gone");
        assertThat(source.open).isZero();
    }

    @Test
    void closingTheFeedMidEpochStopsItsThread() throws Exception {
        InMemorySource endless = new InMemorySource(1_000_000);
        BatchFeed feed = EpochBatches.eval(endless, "v", "topic", Stripe.ALL, SHAPE, Long.MAX_VALUE);
        assertThat(feed.take()).isNotNull();
        long t0 = System.nanoTime();
        feed.close();
        assertThat(endless.open).isZero();
        assertThat((System.nanoTime() - t0) / 1e9).as("closed promptly").isLessThan(10);
    }

    private static EpochSpan span(long skip) {
        return new EpochSpan(Map.of(0, 0L), Map.of(0, 20L), 0, skip);
    }

    private static List<Long> labels(BatchFeed feed) throws Exception {
        List<Long> out = new ArrayList<>();
        try (feed) {
            for (Batch b = feed.take(); b != null; b = feed.take()) {
                Arrays.stream(b.labels()).forEach(out::add);
            }
        }
        return out;
    }

    /** One partition whose record at offset i is one 1x1 image labeled i. */
    static class InMemorySource implements ImageSource.Factory, ImageSource {
        final int size;
        final List<String> threads = new ArrayList<>();
        volatile int open;

        InMemorySource(int size) {
            this.size = size;
        }

        @Override
        public ImageSource open(String clientId, String topic) {
            open++;
            threads.add(Thread.currentThread().getName());
            return this;
        }

        @Override
        public Map<Integer, Long> beginning() {
            return Map.of(0, 0L);
        }

        @Override
        public Map<Integer, Long> end() {
            return Map.of(0, (long) size);
        }

        @Override
        public long read(
                Map<Integer, Long> start, Map<Integer, Long> end, Consumer<Sample> sink, BooleanSupplier cancelled) {
            long n = 0;
            for (long i = start.get(0); i < end.get(0) && !cancelled.getAsBoolean(); i++, n++) {
                sink.accept(sample(i));
            }
            return n;
        }

        @Override
        public Map<Integer, Long> readAtLeast(
                Map<Integer, Long> start, long minSamples, Consumer<Sample> sink, BooleanSupplier cancelled) {
            long from = start.get(0);
            read(start, Map.of(0, from + minSamples), sink, cancelled);
            return Map.of(0, from + minSamples);
        }

        @Override
        public void close() {
            open--;
        }

        private static Sample sample(long i) {
            return new Sample("s" + i, (int) i, 1, 1, 1, new byte[] {(byte) i});
        }
    }
}
