package org.kafkatrain.trainer.data;

import org.kafkatrain.engine.Batch;

/** Batches handed to the training loop one at a time. */
public interface BatchStream {
    /** The next batch, or null at the end of the epoch. */
    Batch take() throws InterruptedException;

    /** Batches ready and waiting. */
    int depth();

    /** Total time the loop spent waiting for a batch. */
    double waitSeconds();
}
