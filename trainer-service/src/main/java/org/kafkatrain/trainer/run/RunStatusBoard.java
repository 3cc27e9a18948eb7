package org.kafkatrain.trainer.run;

import org.kafkatrain.contracts.runs.RunState;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.store.LatestCheckpoint;
import org.kafkatrain.trainer.loop.BatchEvent;
import org.kafkatrain.trainer.loop.EpochEvent;
import org.kafkatrain.trainer.loop.Split;
import org.kafkatrain.trainer.loop.TrainingListener;
import org.kafkatrain.trainer.store.ResumePoint;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The run's status as {@code GET /runs/{id}} shows it. The training thread and the run's checkpoint upload thread
 * write here, one at a time (the board's lock); every change publishes a new immutable {@link RunStatus} through
 * one volatile field, which readers take without the lock.
 */
final class RunStatusBoard implements TrainingListener {
    private final String runId;
    private final int epochs;
    private final LongSupplier rejected;
    private volatile RunStatus current;

    private RunState state = RunState.PENDING;
    private int epoch;
    private long step;
    private double lr;
    private Double loss;
    private Double imagesPerSec;
    private long epochSamples;
    private long perEpoch;
    private long startedNanos;
    private long trainedHere;
    private String lastCheckpoint;
    private Double top1;
    private Double top5;
    private String message = "";

    RunStatusBoard(String runId, int epochs, double lr, LongSupplier rejected) {
        this.runId = runId;
        this.epochs = epochs;
        this.lr = lr;
        this.rejected = rejected;
        publish();
    }

    RunStatus current() {
        return current;
    }

    /** Training begins at {@code at}, from the checkpoint {@code resumedFrom} when there is one. */
    synchronized void running(
            ResumePoint at, long samplesPerEpoch, double currentLr, Optional<LatestCheckpoint> resumedFrom) {
        state = RunState.RUNNING;
        epoch = at.epoch();
        step = at.step();
        epochSamples = at.epochSamples();
        perEpoch = samplesPerEpoch;
        lr = currentLr;
        resumedFrom.ifPresent(latest -> {
            lastCheckpoint = latest.object();
            top1 = latest.acc1();
            top5 = latest.acc5();
        });
        startedNanos = System.nanoTime();
        publish();
    }

    synchronized void epochStarted(int e, long samplesDone) {
        epoch = e;
        epochSamples = samplesDone;
        publish();
    }

    synchronized void checkpointed(String key) {
        lastCheckpoint = key;
        message = "";
        publish();
    }

    synchronized void problem(String text) {
        message = text;
        publish();
    }

    synchronized void ended(RunState end) {
        state = end;
        if (end == RunState.FINISHED) {
            epoch = epochs;
        }
        publish();
    }

    synchronized void failed(String text) {
        message = text;
        ended(RunState.FAILED);
    }

    @Override
    public synchronized void onTrainingBatch(BatchEvent e) {
        step = e.position().step();
        epochSamples = e.position().epochSamples();
        loss = e.result().loss();
        lr = e.lr();
        imagesPerSec = e.imagesPerSec();
        trainedHere += e.result().samples();
        publish();
    }

    @Override
    public synchronized void onValidationBatch(BatchEvent e) {
        imagesPerSec = e.imagesPerSec();
        publish();
    }

    @Override
    public synchronized void onEpochEnd(EpochEvent e) {
        if (e.split() == Split.VAL) {
            top1 = e.meter().top1();
            top5 = e.meter().top5();
            publish();
        }
    }

    /** Seconds to the end of the last epoch at this session's pace; null before the first step. */
    private Long eta() {
        if (state == RunState.FINISHED) {
            return 0L;
        }
        if (trainedHere == 0 || perEpoch == 0) {
            return null;
        }
        double secondsPerSample = (System.nanoTime() - startedNanos) / 1e9 / trainedHere;
        long remaining = Math.max(0, perEpoch - epochSamples) + (long) Math.max(0, epochs - epoch - 1) * perEpoch;
        return (long) (remaining * secondsPerSample);
    }

    private void publish() {
        current = new RunStatus(
                runId,
                state,
                epoch,
                epochs,
                step,
                lr,
                loss,
                imagesPerSec,
                epochSamples,
                perEpoch,
                eta(),
                lastCheckpoint,
                top1,
                top5,
                rejected.getAsLong(),
                message,
                null,
                null);
    }
}
