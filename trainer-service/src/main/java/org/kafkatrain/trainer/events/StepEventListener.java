package org.kafkatrain.trainer.events;

import org.kafkatrain.contracts.SampleDigest;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.engine.BatchResult;
import org.kafkatrain.trainer.loop.BatchEvent;
import org.kafkatrain.trainer.loop.EpochEvent;
import org.kafkatrain.trainer.loop.TrainingListener;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Turns the loop's batches and epoch ends into {@link TrainingStep} events for {@code training.steps}: one per
 * optimizer step and per evaluation batch, one {@code epoch_end} per split whose sample count tells consumers the
 * epoch is complete.
 */
public final class StepEventListener implements TrainingListener {
    private final String runId;
    private final LongSupplier rejected;
    private final Consumer<TrainingStep> publish;
    private double lastImagesPerSec;

    public StepEventListener(String runId, LongSupplier rejected, Consumer<TrainingStep> publish) {
        this.runId = runId;
        this.rejected = rejected;
        this.publish = publish;
    }

    @Override
    public void onTrainingBatch(BatchEvent e) {
        batch(e);
    }

    @Override
    public void onValidationBatch(BatchEvent e) {
        batch(e);
    }

    @Override
    public void onEpochEnd(EpochEvent e) {
        publish.accept(new TrainingStep(
                TrainingStep.VERSION,
                TrainingStep.EPOCH_END,
                runId,
                e.split().eventName(),
                e.epoch(),
                e.position().step(),
                0,
                Math.toIntExact(e.samples()),
                e.meter().meanLoss(),
                e.meter().correct1(),
                e.meter().correct5(),
                e.lr(),
                lastImagesPerSec,
                rejected.getAsLong(),
                System.currentTimeMillis(),
                null));
    }

    private void batch(BatchEvent e) {
        lastImagesPerSec = e.imagesPerSec();
        BatchResult r = e.result();
        publish.accept(new TrainingStep(
                TrainingStep.VERSION,
                TrainingStep.STEP,
                runId,
                e.split().eventName(),
                e.epoch(),
                e.position().step(),
                e.batch(),
                r.samples(),
                r.loss(),
                r.correct1(),
                r.correct5(),
                e.lr(),
                e.imagesPerSec(),
                rejected.getAsLong(),
                System.currentTimeMillis(),
                SampleDigest.hex(e.sampleDigest())));
    }
}
