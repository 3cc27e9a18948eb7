package org.kafkatrain.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Seeded streaming shuffle: holds up to {@code capacity} items and, once full, emits a uniformly chosen one for each
 * new arrival; {@link #drain} shuffles and emits the rest. The emitted order depends only on the seed and the input
 * order, so an epoch replayed from the same offsets with the same seed yields the same sequence: that is what makes
 * resume exact. A capacity at least the epoch's size is a full shuffle.
 */
public final class ShuffleBuffer<T> {
    private final int capacity;
    private final Random random;
    private final List<T> items;
    private final Consumer<T> downstream;

    public ShuffleBuffer(int capacity, long seed, Consumer<T> downstream) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.random = new Random(seed);
        this.items = new ArrayList<>(Math.min(capacity, 1 << 16));
        this.downstream = downstream;
    }

    /** The seed of an epoch: a function of the run's seed and the epoch only. */
    public static long epochSeed(long runSeed, int epoch) {
        return runSeed * 1_000_003L + epoch;
    }

    public void add(T item) {
        if (items.size() < capacity) {
            items.add(item);
            return;
        }
        int i = random.nextInt(capacity);
        T out = items.get(i);
        items.set(i, item);
        downstream.accept(out);
    }

    public void drain() {
        while (!items.isEmpty()) {
            int i = random.nextInt(items.size());
            T out = items.get(i);
            T last = items.remove(items.size() - 1);
            if (i < items.size()) {
                items.set(i, last);
            }
            downstream.accept(out);
        }
    }
}
