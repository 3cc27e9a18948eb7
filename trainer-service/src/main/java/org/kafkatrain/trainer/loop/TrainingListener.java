package org.kafkatrain.trainer.loop;

/**
 * What the loop tells the rest of the run: step events, metrics, periodic checkpoints and the status each are a
 * listener, so a new concern is a new listener rather than another branch in the loop. Listeners run on the
 * training thread, in the order given.
 */
public interface TrainingListener {
    default void onTrainingBatch(BatchEvent event) {}

    default void onValidationBatch(BatchEvent event) {}

    default void onEpochEnd(EpochEvent event) {}
}
