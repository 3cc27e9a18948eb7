package org.kafkatrain.trainer.data;

import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.SampleDigest;
import org.kafkatrain.engine.BatchAssembler;
import org.kafkatrain.engine.ShuffleBuffer;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The data path of an epoch on the feed's own thread, up to {@link #DEPTH} batches ahead of the device: open the
 * image source, read, shuffle (seeded, streaming), assemble batches, close the source. Everything that touches the
 * source runs on that thread.
 */
public final class EpochBatches {
    static final int DEPTH = 4;

    private EpochBatches() {}

    /**
     * A training epoch: the span's samples in the seeded shuffle order, the first {@code span.skip()} passed over,
     * the rest taken where {@code stripe} says.
     *
     * @param seed       the epoch's shuffle seed; also seeds augmentation when {@code augment} is set
     * @param reachedEnd receives, in continuous mode, the offsets after the last record used (the next epoch's start)
     */
    public static BatchFeed train(
            ImageSource.Factory sources,
            String clientId,
            String topic,
            EpochSpan span,
            Stripe stripe,
            BatchShape shape,
            int shuffleBuffer,
            long seed,
            boolean augment,
            Consumer<Map<Integer, Long>> reachedEnd) {
        return new BatchFeed("feed-" + clientId, DEPTH, (out, cancelled) -> {
            try (ImageSource source = sources.open(clientId, topic)) {
                BatchAssembler batches = new BatchAssembler(
                        shape.batchSize(), shape.height(), shape.width(), shape.channels(), augment ? seed : null, out);
                long[] index = {0};
                ShuffleBuffer<Sample> shuffle = new ShuffleBuffer<>(shuffleBuffer, seed, s -> {
                    long i = index[0]++;
                    if (i >= span.skip() && stripe.takes(i)) {
                        batches.add(s.pixels(), s.label(), i, SampleDigest.of(s.id()));
                    }
                });
                if (span.end() != null) {
                    source.read(span.start(), span.end(), shuffle::add, cancelled);
                } else {
                    reachedEnd.accept(source.readAtLeast(span.start(), span.minSamples(), shuffle::add, cancelled));
                }
                shuffle.drain();
                batches.flush();
            }
        });
    }

    /** An evaluation pass: the whole topic as it is now, in log order, at most {@code limit} samples, striped. */
    public static BatchFeed eval(
            ImageSource.Factory sources, String clientId, String topic, Stripe stripe, BatchShape shape, long limit) {
        return new BatchFeed("eval-" + clientId, DEPTH, (out, cancelled) -> {
            try (ImageSource source = sources.open(clientId, topic)) {
                BatchAssembler batches = new BatchAssembler(
                        shape.batchSize(), shape.height(), shape.width(), shape.channels(), null, out);
                long[] index = {0};
                source.read(
                        source.beginning(),
                        source.end(),
                        s -> {
                            long i = index[0]++;
                            if (i < limit && stripe.takes(i)) {
                                batches.add(s.pixels(), s.label(), i, SampleDigest.of(s.id()));
                            }
                        },
                        cancelled);
                batches.flush();
            }
        });
    }
}
