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
            long t0 = System.nanoTime();
            BatchResult r = trainStep.apply(batch);
            double imagesPerSec = r.samples() / ((System.nanoTime() - t0) / 1e9);
            meter.add(r);
            position = position.advanced(position.epochSamples() + r.samples(), position.step() + 1);
            BatchEvent event = new BatchEvent(
                    Split.TRAIN,
                    position.epoch(),
                    index++,
                    r,
                    imagesPerSec,
                    lr.getAsDouble(),
                    meter,
                    position,
                    batches.depth());
            listeners.forEach(l -> l.onTrainingBatch(event));
            if (stopRequested.getAsBoolean()) {
                return new TrainResult(position, meter, true);
            }
        }
        EpochEvent end = new EpochEvent(
                Split.TRAIN, position.epoch(), position.epochSamples(), meter, lr.getAsDouble(), position);
        listeners.forEach(l -> l.onEpochEnd(end));
        return new TrainResult(position, meter, false);
    }

    /** @param position the run's position after the epoch's training (evaluation does not move it) */
    public EpochMeter evaluate(ResumePoint position, BatchStream batches) throws InterruptedException {
        EpochMeter meter = new EpochMeter();
        int index = 0;
        for (Batch batch = batches.take(); batch != null; batch = batches.take()) {
            long t0 = System.nanoTime();
            BatchResult r = evalStep.apply(batch);
            double imagesPerSec = r.samples() / ((System.nanoTime() - t0) / 1e9);
            meter.add(r);
            BatchEvent event = new BatchEvent(
                    Split.VAL,
                    position.epoch(),
                    index++,
                    r,
                    imagesPerSec,
                    lr.getAsDouble(),
                    meter,
                    position,
                    batches.depth());
            listeners.forEach(l -> l.onValidationBatch(event));
        }
        EpochEvent end =
                new EpochEvent(Split.VAL, position.epoch(), meter.samples(), meter, lr.getAsDouble(), position);
        listeners.forEach(l -> l.onEpochEnd(end));
        return meter;
    }
}
