package org.kafkatrain.trainer.loop;

import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.BatchResult;
import org.kafkatrain.engine.PendingResult;
import org.kafkatrain.trainer.data.BatchStream;
import org.kafkatrain.trainer.store.ResumePoint;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * The tutorial's {@code train_one_epoch} and {@code evaluate}: take a batch, run the step, meter it, tell the
 * listeners. Steps are issued without waiting for their results; those are read back every {@code syncEvery} steps
 * in one copy (so a GPU always has the next step queued), and at a step where {@code syncAt} says a listener acts on
 * the model (a periodic checkpoint), so what it sees is the model of that step. Listeners hear of every step, in
 * order, with its own loss and hits. A stop request ends a training pass at the next read.
 */
public final class TrainingLoop {
    private final Function<Batch, PendingResult> trainStep;
    private final Function<Batch, PendingResult> evalStep;
    private final DoubleSupplier lr;
    private final List<TrainingListener> listeners;
    private final BooleanSupplier stopRequested;
    private final int syncEvery;
    private final LongPredicate syncAt;

    /**
     * @param syncEvery steps issued before their results are read (1: every step)
     * @param syncAt    steps (by their number after the step) whose results are read at once
     */
    public TrainingLoop(
            Function<Batch, PendingResult> trainStep,
            Function<Batch, PendingResult> evalStep,
            DoubleSupplier lr,
            List<TrainingListener> listeners,
            BooleanSupplier stopRequested,
            int syncEvery,
            LongPredicate syncAt) {
        if (syncEvery < 1) {
            throw new IllegalArgumentException("syncEvery must be at least 1: " + syncEvery);
        }
        this.trainStep = trainStep;
        this.evalStep = evalStep;
        this.lr = lr;
        this.listeners = List.copyOf(listeners);
        this.stopRequested = stopRequested;
        this.syncEvery = syncEvery;
        this.syncAt = syncAt;
    }

    /**
     * @param position where the epoch starts: its epoch, offsets, the samples already trained (a resumed epoch) and the step
     * @param stopped  whether a stop request ended the pass early (no epoch-end event then)
     */
    public record TrainResult(ResumePoint position, EpochMeter meter, boolean stopped) {}

    public TrainResult train(ResumePoint position, BatchStream batches) throws InterruptedException {
        Window window = new Window(Split.TRAIN, new EpochMeter());
        for (Batch batch = batches.take(); batch != null; batch = batches.take()) {
            long t0 = System.nanoTime();
            PendingResult r = trainStep.apply(batch);
            window.busyNanos += System.nanoTime() - t0;
            position = position.advanced(position.epochSamples() + r.samples(), position.step() + 1);
            window.issued(r, batch, position, batches.depth());
            if (window.size() >= syncEvery || syncAt.test(position.step())) {
                window.deliver();
                if (stopRequested.getAsBoolean()) {
                    return new TrainResult(position, window.meter, true);
                }
            }
        }
        if (window.deliver() && stopRequested.getAsBoolean()) {
            // a stop heard at the last read ends the pass as one heard after any step: with its own checkpoint
            return new TrainResult(position, window.meter, true);
        }
        endOfPass(Split.TRAIN, position.epochSamples(), window.meter, position);
        return new TrainResult(position, window.meter, false);
    }

    /** @param position the run's position after the epoch's training (evaluation does not move it) */
    public EpochMeter evaluate(ResumePoint position, BatchStream batches) throws InterruptedException {
        Window window = new Window(Split.VAL, new EpochMeter());
        for (Batch batch = batches.take(); batch != null; batch = batches.take()) {
            long t0 = System.nanoTime();
            PendingResult r = evalStep.apply(batch);
            window.busyNanos += System.nanoTime() - t0;
            window.issued(r, batch, position, batches.depth());
            if (window.size() >= syncEvery) {
                window.deliver();
            }
        }
        window.deliver();
        endOfPass(Split.VAL, window.meter.samples(), window.meter, position);
        return window.meter;
    }

    /** A step issued and not yet read: what its event will say besides the results. */
    private record Issued(int index, PendingResult result, ResumePoint position, int queued, long sampleDigest) {}

    /**
     * The steps of one pass issued since the last read. Images/s of each is that of its window: the time spent
     * issuing the steps and reading them back, which on a GPU is the time the device took.
     */
    private final class Window {
        private final Split split;
        private final EpochMeter meter;
        private final List<Issued> pending = new ArrayList<>();
        private long busyNanos;
        private int delivered;

        Window(Split split, EpochMeter meter) {
            this.split = split;
            this.meter = meter;
        }

        int size() {
            return pending.size();
        }

        void issued(PendingResult result, Batch batch, ResumePoint after, int queued) {
            pending.add(new Issued(delivered + pending.size(), result, after, queued, batch.sampleDigest()));
        }

        /** Reads the window's results and tells the listeners of each step, in order; false when it was empty. */
        boolean deliver() {
            if (pending.isEmpty()) {
                return false;
            }
            long t0 = System.nanoTime();
            List<BatchResult> results =
                    PendingResult.readAll(pending.stream().map(Issued::result).toList());
            busyNanos += System.nanoTime() - t0;
            long samples = results.stream().mapToLong(BatchResult::samples).sum();
            double imagesPerSec = samples / (busyNanos / 1e9);
            double currentLr = lr.getAsDouble();
            for (int i = 0; i < pending.size(); i++) {
                Issued step = pending.get(i);
                BatchResult r = results.get(i);
                meter.add(r);
                BatchEvent event = new BatchEvent(
                        split,
                        step.position().epoch(),
                        step.index(),
                        r,
                        imagesPerSec,
                        currentLr,
                        meter,
                        step.position(),
                        step.queued(),
                        step.sampleDigest());
                if (split == Split.TRAIN) {
                    listeners.forEach(l -> l.onTrainingBatch(event));
                } else {
                    listeners.forEach(l -> l.onValidationBatch(event));
                }
            }
            delivered += pending.size();
            pending.clear();
            busyNanos = 0;
            return true;
        }
    }

    private void endOfPass(Split split, long samples, EpochMeter meter, ResumePoint position) {
        EpochEvent end = new EpochEvent(split, position.epoch(), samples, meter, lr.getAsDouble(), position);
        listeners.forEach(l -> l.onEpochEnd(end));
    }
}
