package org.kafkatrain.trainer.loop;

import org.kafkatrain.trainer.store.ResumePoint;

import java.util.function.BooleanSupplier;

/**
 * A checkpoint every {@code every} optimizer steps, in epochs mode (a continuous epoch has no fixed end offsets to
 * resume against until it is over). A step that ends on a stop request is left to the stop's own checkpoint.
 */
public final class PeriodicCheckpoints implements TrainingListener {
    /** Stores a mid-epoch checkpoint of {@code at}; {@code meter} holds the epoch's train sums so far. */
    @FunctionalInterface
    public interface Saver {
        void save(ResumePoint at, EpochMeter meter);
    }

    private final int every;
    private final BooleanSupplier stopRequested;
    private final Saver saver;

    public PeriodicCheckpoints(int every, BooleanSupplier stopRequested, Saver saver) {
        this.every = every;
        this.stopRequested = stopRequested;
        this.saver = saver;
    }

    /** Whether the step numbered {@code step} may take a checkpoint: the loop reads its results at once then. */
    public boolean due(long step) {
        return every > 0 && step % every == 0;
    }

    @Override
    public void onTrainingBatch(BatchEvent event) {
        ResumePoint at = event.position();
        if (due(at.step()) && at.epochEnd() != null && !stopRequested.getAsBoolean()) {
            saver.save(at, event.meter());
        }
    }
}
