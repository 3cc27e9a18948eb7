package org.kafkatrain.trainer.data;

/**
 * The samples of a pass one replica trains: every {@code count}-th of the seeded order, starting at its rank, as
 * PyTorch's {@code DistributedSampler} strides its shuffled indices. Every replica reads and shuffles the whole
 * epoch alike, so the stripes cover it without overlap or gap whatever the topic's partition count, and they are a
 * function of the seed, the epoch and the data only: a resumed group stripes the rest of the epoch alike.
 */
public record Stripe(int rank, int count) {
    public static final Stripe ALL = new Stripe(0, 1);

    public Stripe {
        if (count < 1 || rank < 0 || rank >= count) {
            throw new IllegalArgumentException("rank " + rank + " of " + count);
        }
    }

    /** Whether sample {@code index} of the pass (its place in the seeded order) is this replica's. */
    public boolean takes(long index) {
        return index % count == rank;
    }
}
