package org.kafkatrain.trainer.data;

import org.kafkatrain.engine.Batch;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs the data path (Kafka reads, decoding, shuffling, batch assembly) on its own thread, a bounded number of
 * batches ahead of the training step, so the device does not wait on Kafka. {@link #take} returns null at the end.
 */
public final class BatchFeed implements BatchStream, AutoCloseable {
    private record Item(Batch batch, Throwable error) {}

    private static final Item END = new Item(null, null);

    private final BlockingQueue<Item> queue;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Thread thread;
    private long waitNanos;

    /** @param producer fills the feed through the consumer it is given; runs on the feed's thread */
    public BatchFeed(String name, int depth, ProducerBody producer) {
        queue = new ArrayBlockingQueue<>(depth);
        thread = new Thread(
                () -> {
                    try {
                        producer.run(this::put, cancelled::get);
                        put(END);
                    } catch (Throwable t) {
                        if (!cancelled.get()) {
                            offerQuietly(new Item(null, t));
                        }
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The next batch, or null when the producer has finished. Rethrows the producer's failure. */
    @Override
    public Batch take() throws InterruptedException {
        long t = System.nanoTime();
        Item item = queue.take();
        waitNanos += System.nanoTime() - t;
        if (item.error != null) {
            throw new IllegalStateException("data path failed: " + item.error.getMessage(), item.error);
        }
        if (item == END) {
            queue.put(END); // stay at the end for further calls
            return null;
        }
        return item.batch;
    }

    @Override
    public int depth() {
        return queue.size();
    }

    /** Total time the consumer of this feed spent waiting for a batch. */
    @Override
    public double waitSeconds() {
        return waitNanos / 1e9;
    }

    @Override
    public void close() throws InterruptedException {
        cancelled.set(true);
        queue.clear();
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    private void put(Batch batch) {
        put(new Item(batch, null));
    }

    private void put(Item item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("feed interrupted", e);
        }
    }

    private void offerQuietly(Item item) {
        queue.clear();
        queue.offer(item);
    }

    @FunctionalInterface
    public interface ProducerBody {
        void run(Consumer<Batch> out, BooleanSupplier cancelled) throws Exception;
    }
}
