package org.kafkatrain.trainer.replica;

import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.DataParallel;
import org.kafkatrain.engine.PendingResult;
import org.kafkatrain.trainer.data.BatchShape;
import org.kafkatrain.trainer.data.BatchStream;

import java.util.function.BooleanSupplier;

/**
 * The replicas of a run step together: before each step they sum, in one small collective, how many samples each
 * has and whether a stop was asked of any. A pass goes on while any replica has samples (one whose stripe ran out
 * first takes part with an empty batch, so every rank makes the same collectives and optimizer steps), and a stop
 * asked of one rank is heard by all at the same step. The step then knows the global batch it is part of.
 */
final class ReplicaLockstep {
    private final DataParallel replicas;
    private final BooleanSupplier stopAskedHere;
    private boolean stopAgreed;
    private int globalSamples;
    private long localSamples;

    ReplicaLockstep(DataParallel replicas, BooleanSupplier stopAskedHere) {
        this.replicas = replicas;
        this.stopAskedHere = stopAskedHere;
    }

    /**
     * {@code local}'s batches in step with the other replicas' streams; null once none of them has a batch.
     *
     * @param training whether the pass trains (its samples are what {@link #localSamples} counts)
     */
    public BatchStream over(BatchStream local, BatchShape shape, boolean training) {
        if (training) {
            localSamples = 0;
        }
        return new BatchStream() {
            @Override
            public Batch take() throws InterruptedException {
                Batch mine = local.take();
                long[] sums = replicas.group()
                        .sum(
                                mine == null ? 0 : mine.size(),
                                stopAskedHere.getAsBoolean() ? 1 : 0,
                                mine == null ? 0 : mine.sampleDigest());
                stopAgreed |= sums[1] > 0;
                globalSamples = Math.toIntExact(sums[0]);
                if (globalSamples == 0) {
                    return null;
                }
                // The step's digest is the global batch's (a sum of id hashes sums over ranks as over samples), so
                // rank 0's step events audit the whole epoch as one trainer's do.
                if (mine == null) {
                    return new Batch(
                            new byte[0], new long[0], shape.height(), shape.width(), shape.channels(), sums[2]);
                }
                if (training) {
                    localSamples += mine.size();
                }
                return new Batch(mine.pixels(), mine.labels(), mine.height(), mine.width(), mine.channels(), sums[2]);
            }

            @Override
            public int depth() {
                return local.depth();
            }

            @Override
            public double waitSeconds() {
                return local.waitSeconds();
            }
        };
    }

    public PendingResult train(Batch batch) {
        return replicas.trainStep(batch, globalSamples);
    }

    public PendingResult eval(Batch batch) {
        return replicas.evalStep(batch, globalSamples);
    }

    /** Samples of the epoch's training this replica had itself (its stripe, so far). */
    public long localSamples() {
        return localSamples;
    }

    public int rank() {
        return replicas.group().rank();
    }

    /** Whether a stop was asked of any replica by the last step taken. */
    public boolean stopAgreed() {
        return stopAgreed;
    }
}
