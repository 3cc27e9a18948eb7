package org.kafkatrain.trainer.replica;

import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.PendingResult;
import org.kafkatrain.engine.Trainer;
import org.kafkatrain.trainer.data.BatchShape;
import org.kafkatrain.trainer.data.BatchStream;
import org.kafkatrain.trainer.data.Stripe;
import org.kafkatrain.trainer.loop.TrainingListener;
import org.kafkatrain.trainer.store.ResumePoint;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A run of one process: it reads every sample, leads, and steps its own trainer. */
final class SingleProcess implements RunReplicas {
    private final BooleanSupplier stopAskedHere;
    private Trainer trainer;

    SingleProcess(BooleanSupplier stopAskedHere) {
        this.stopAskedHere = stopAskedHere;
    }

    @Override
    public Stripe stripe() {
        return Stripe.ALL;
    }

    @Override
    public boolean leads() {
        return true;
    }

    @Override
    public void start(Trainer runTrainer, ResumePoint at, Consumer<String> waiting) {
        this.trainer = runTrainer;
    }

    @Override
    public PendingResult train(Batch batch) {
        return trainer.issueTrainStep(batch);
    }

    @Override
    public PendingResult evaluate(Batch batch) {
        return trainer.issueEvalBatch(batch);
    }

    @Override
    public BatchStream paced(BatchStream feed, BatchShape emptyBatch, boolean training) {
        return feed;
    }

    @Override
    public boolean stopped() {
        return stopAskedHere.getAsBoolean();
    }

    @Override
    public List<TrainingListener> listeners() {
        return List.of();
    }

    @Override
    public RunStatus status(RunStatus own) {
        return own;
    }

    /** Lets the run's trainer go: an ended run keeps its status, not its weights, gradients and optimizer state. */
    @Override
    public void close(Throwable failure) {
        trainer = null;
    }
}
