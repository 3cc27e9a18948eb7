package org.kafkatrain.trainer.loop;

import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.BatchResult;
import org.kafkatrain.trainer.data.BatchStream;
import org.kafkatrain.trainer.store.ResumePoint;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * The tutorial's {@code train_one_epoch} and {@code evaluate}: take a batch, run the step, meter it, tell the
 * listeners. A stop request ends a training pass after the step in flight.
 */
public final class TrainingLoop {
    private final Function<Batch, BatchResult> trainStep;
    private final Function<Batch, BatchResult> evalStep;
    private final DoubleSupplier lr;
    private final List<TrainingListener> listeners;
    private final BooleanSupplier stopRequested;

    public TrainingLoop(
            Function<Batch, BatchResult> trainStep,
            Function<Batch, BatchResult> evalStep,
            DoubleSupplier lr,
            List<TrainingListener> listeners,
            BooleanSupplier stopRequested) {
        this.trainStep = trainStep;
        this.evalStep = evalStep;
        this.lr = lr;
        this.listeners = List.copyOf(listeners);
        this.stopRequested = stopRequested;
    }

    /**
     * @param position where the epoch starts: its epoch, offsets, the samples already trained (a resumed epoch) and the step
     * @param stopped  whether a stop request ended the pass early (no epoch-end event then)
     */
    public record TrainResult(ResumePoint position, EpochMeter meter, boolean stopped) {}

    public TrainResult train(ResumePoint position, BatchStream batches) throws InterruptedException {
        EpochMeter meter = new EpochMeter();
        int index = 0;
        for (Batch batch = batches.take(); batch != null; batch = batches.take()) {
            BatchEvent event = step(Split.TRAIN, trainStep, batch, index++, meter, position, batches);
            position = event.position();
            listeners.forEach(l -> l.onTrainingBatch(event));
            if (stopRequested.getAsBoolean()) {
                return new TrainResult(position, meter, true);
            }
        }
        endOfPass(Split.TRAIN, position.epochSamples(), meter, position);
        return new TrainResult(position, meter, false);
    }

    /** @param position the run's position after the epoch's training (evaluation does not move it) */
    public EpochMeter evaluate(ResumePoint position, BatchStream batches) throws InterruptedException {
        EpochMeter meter = new EpochMeter();
        int index = 0;
        for (Batch batch = batches.take(); batch != null; batch = batches.take()) {
            BatchEvent event = step(Split.VAL, evalStep, batch, index++, meter, position, batches);
            listeners.forEach(l -> l.onValidationBatch(event));
        }
        endOfPass(Split.VAL, meter.samples(), meter, position);
        return meter;
    }

    /** One batch through {@code step}, timed and metered; a training step also moves the position on by one step. */
    private BatchEvent step(
            Split split,
            Function<Batch, BatchResult> step,
            Batch batch,
            int index,
            EpochMeter meter,
            ResumePoint before,
            BatchStream batches) {
        long t0 = System.nanoTime();
        BatchResult r = step.apply(batch);
        double imagesPerSec = r.samples() / ((System.nanoTime() - t0) / 1e9);
        meter.add(r);
        ResumePoint after =
                split == Split.TRAIN ? before.advanced(before.epochSamples() + r.samples(), before.step() + 1) : before;
        return new BatchEvent(
                split,
                after.epoch(),
                index,
                r,
                imagesPerSec,
                lr.getAsDouble(),
                meter,
                after,
                batches.depth(),
                batch.sampleDigest());
    }

    private void endOfPass(Split split, long samples, EpochMeter meter, ResumePoint position) {
        EpochEvent end = new EpochEvent(split, position.epoch(), samples, meter, lr.getAsDouble(), position);
        listeners.forEach(l -> l.onEpochEnd(end));
    }
}
