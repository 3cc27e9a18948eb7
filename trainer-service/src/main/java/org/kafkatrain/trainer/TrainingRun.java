package org.kafkatrain.trainer;

import org.bytedeco.pytorch.Device;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.BatchAssembler;
import org.kafkatrain.engine.BatchResult;
import org.kafkatrain.engine.Checkpoints;
import org.kafkatrain.engine.DeviceChoice;
import org.kafkatrain.engine.ShuffleBuffer;
import org.kafkatrain.engine.TorchCheckpointFile;
import org.kafkatrain.engine.Trainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One training run, start to finish, on its own thread: the tutorial's epoch loop (train, evaluate, StepLR step,
 * checkpoint) fed from Kafka. Resumes from the run's {@code latest.json} when there is one.
 */
final class TrainingRun implements Runnable {
    private static final Logger LOG = Logger.getLogger(TrainingRun.class);
    private static final int FEED_DEPTH = 4;

    private final RunConfig config;
    private final TrainerServices services;
    private final DeadLetterLedger ledger = new DeadLetterLedger();
    private volatile boolean stopRequested;
    private volatile RunStatus status;

    private Trainer trainer;
    private DatasetManifest manifest;
    private ResumePoint position;
    private long step;
    private int epoch;
    private long epochSamples;
    private long epochSkip;
    private double epochLossSum;
    private long epochCorrect1;
    private long epochCorrect5;
    private double lastLoss;
    private double imagesPerSec;
    private long startedNanos;
    private long stepsThisSession;
    private Double lastTop1;
    private Double lastTop5;
    private String lastCheckpoint;
    private String message = "";

    TrainingRun(RunConfig config, TrainerServices services) {
        this.config = config;
        this.services = services;
        this.status = snapshot(RunStatus.PENDING);
    }

    RunStatus status() {
        return status;
    }

    RunConfig config() {
        return config;
    }

    /** Graceful stop: the current step finishes, a checkpoint is written, the run ends STOPPED. */
    void requestStop() {
        stopRequested = true;
        status = snapshot(RunStatus.STOPPING);
    }

    @Override
    public void run() {
        try {
            prepare();
            status = snapshot(RunStatus.RUNNING);
            for (epoch = position.epoch(); epoch < config.epochs(); epoch++) {
                boolean resumingMidEpoch = epoch == position.epoch() && !position.epochComplete() && position.epochSamples() > 0;
                if (epoch == position.epoch() && position.epochComplete()) {
                    continue; // the checkpoint closed this epoch: go on with the next
                }
                if (!trainEpoch(resumingMidEpoch)) {
                    checkpoint(false);
                    status = snapshot(RunStatus.STOPPED);
                    return;
                }
                evaluate();
                trainer.endEpoch();
                checkpoint(true);
                if (stopRequested) {
                    status = snapshot(RunStatus.STOPPED);
                    return;
                }
            }
            status = snapshot(RunStatus.FINISHED);
            LOG.infof("run %s finished after %d epochs, step %d", config.runId(), config.epochs(), step);
        } catch (Throwable t) {
            LOG.errorf(t, "run %s failed", config.runId());
            message = t.getClass().getSimpleName() + ": " + t.getMessage();
            status = snapshot(RunStatus.FAILED);
        }
    }

    private void prepare() throws Exception {
        manifest = services.catalog().find(config.dataset()).orElseThrow(() -> new IllegalStateException(
                "no manifest for dataset '" + config.dataset() + "' on the datasets topic: ingest the dataset first"));
        Device device = DeviceChoice.select(config.device());
        trainer = new Trainer(manifest.classes().size(), config.hyperparameters(manifest.height()), device);
        services.store().ensureBucket();
        var latest = services.store().latest(config.runId());
        if (latest.isPresent()) {
            try (InputStream in = services.store().open(latest.get().object())) {
                Map<String, Object> checkpoint = TorchCheckpointFile.read(in);
                Checkpoints.restore(trainer, checkpoint);
                ledger.restore(checkpoint.get("dead_letters"));
                position = ResumePoint.of(checkpoint, latest.get());
            }
            step = position.step();
            lastCheckpoint = latest.get().object();
            lastTop1 = latest.get().acc1();
            lastTop5 = latest.get().acc5();
            LOG.infof("run %s resumes from %s: epoch %d (%s, %d samples done), step %d, lr %g", config.runId(), lastCheckpoint,
                    position.epoch(), position.epochComplete() ? "complete" : "in progress", position.epochSamples(), step, trainer.lr());
        } else {
            ImageTopicReader reader = trainReader();
            try {
                position = ResumePoint.fresh(reader.beginning());
            } finally {
                reader.close();
            }
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("v", 1);
            run.put("config", config);
            run.put("dataset", manifest);
            run.put("runStartOffsets", position.runStart());
            run.put("createdAt", System.currentTimeMillis());
            services.store().writeRunJson(config.runId(), run);
            LOG.infof("run %s starts: %d classes, %dx%dx%d images, device %s", config.runId(), manifest.classes().size(),
                    manifest.height(), manifest.width(), manifest.channels(), device.str().getString());
        }
        startedNanos = System.nanoTime();
    }

    /** @return false when a stop request ended the epoch early */
    private boolean trainEpoch(boolean resumingMidEpoch) throws Exception {
        ImageTopicReader reader = trainReader();
        Map<Integer, Long> start;
        Map<Integer, Long> end;
        long skip;
        if (resumingMidEpoch) {
            start = position.epochStart();
            end = position.epochEnd();
            skip = position.epochSamples();
        } else {
            start = config.mode().equals(RunConfig.CONTINUOUS) && position.epochEnd() != null ? position.epochEnd() : position.runStart();
            end = config.mode().equals(RunConfig.EPOCHS) ? reader.end() : null;
            skip = 0;
        }
        AtomicReference<Map<Integer, Long>> reached = new AtomicReference<>(end);
        position = position.inEpoch(epoch, skip, step, start, end);
        epochSamples = skip;
        epochSkip = skip;
        epochLossSum = 0;
        epochCorrect1 = 0;
        epochCorrect5 = 0;
        long seed = ShuffleBuffer.epochSeed(config.seed(), epoch);
        try (BatchFeed feed = new BatchFeed("feed-" + config.runId(), FEED_DEPTH, (out, cancelled) -> {
            BatchAssembler batches = new BatchAssembler(config.batchSize(), manifest.height(), manifest.width(), manifest.channels(),
                    config.augment() ? seed : null, out);
            long[] index = {0};
            ShuffleBuffer<Sample> shuffle = new ShuffleBuffer<>(config.shuffleBuffer(), seed, s -> {
                long i = index[0]++;
                if (i >= skip) { // samples a resumed epoch already trained on are read again but not trained again
                    batches.add(s.pixels(), s.label(), i);
                }
            });
            if (end != null) {
                reader.read(start, end, shuffle::add, cancelled);
            } else {
                reached.set(reader.readAtLeast(start, config.epochSamples(), shuffle::add, cancelled));
            }
            shuffle.drain();
            batches.flush();
        })) {
            int batchIndex = 0;
            for (Batch batch = feed.take(); batch != null; batch = feed.take()) {
                long t0 = System.nanoTime();
                BatchResult r = trainer.trainStep(batch);
                double seconds = (System.nanoTime() - t0) / 1e9;
                step++;
                stepsThisSession++;
                epochSamples += r.samples();
                epochLossSum += r.loss() * r.samples();
                epochCorrect1 += r.correct1();
                epochCorrect5 += r.correct5();
                lastLoss = r.loss();
                imagesPerSec = r.samples() / seconds;
                services.steps().publish(event(TrainingStep.STEP, TrainingStep.TRAIN, batchIndex++, r.samples(), r.loss(), r.correct1(), r.correct5()));
                services.metrics().step(config.runId(), r, imagesPerSec, feed.depth(), ledger.rejected());
                position = position.inEpoch(epoch, epochSamples, step, start, end);
                status = snapshot(stopRequested ? RunStatus.STOPPING : RunStatus.RUNNING);
                if (stopRequested) {
                    return false;
                }
                if (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0 && end != null) {
                    checkpoint(false);
                }
            }
            LOG.infof("run %s epoch %d: %d samples, loss %.4f, top-1 %.2f%%, waited %.1f s for data", config.runId(), epoch, epochSamples,
                    epochLossSum / Math.max(1, epochSamples - skip), 100.0 * epochCorrect1 / Math.max(1, epochSamples - skip), feed.waitSeconds());
        } finally {
            reader.close();
        }
        long trained = epochSamples - skip;
        services.steps().publish(event(TrainingStep.EPOCH_END, TrainingStep.TRAIN, 0, (int) epochSamples,
                trained == 0 ? 0 : epochLossSum / trained, epochCorrect1, epochCorrect5));
        position = position.inEpoch(epoch, epochSamples, step, start, reached.get());
        return true;
    }

    private void evaluate() throws Exception {
        ImageTopicReader reader = new ImageTopicReader(services.kafka(), config.runId() + "-val", config.valTopic(), codec(),
                manifest.height(), manifest.width(), manifest.channels(), services.deadLetters(), ledger);
        long samples = 0;
        double lossSum = 0;
        long c1 = 0;
        long c5 = 0;
        try (BatchFeed feed = new BatchFeed("eval-" + config.runId(), FEED_DEPTH, (out, cancelled) -> {
            BatchAssembler batches = new BatchAssembler(config.evalBatchSize(), manifest.height(), manifest.width(), manifest.channels(), null, out);
            long limit = config.maxEvalSamples() > 0 ? config.maxEvalSamples() : Long.MAX_VALUE;
            long[] index = {0};
            reader.read(reader.beginning(), reader.end(), s -> {
                if (index[0] < limit) {
                    batches.add(s.pixels(), s.label(), index[0]++);
                }
            }, cancelled);
            batches.flush();
        })) {
            int batchIndex = 0;
            for (Batch batch = feed.take(); batch != null; batch = feed.take()) {
                long t0 = System.nanoTime();
                BatchResult r = trainer.evalBatch(batch);
                imagesPerSec = r.samples() / ((System.nanoTime() - t0) / 1e9);
                samples += r.samples();
                lossSum += r.loss() * r.samples();
                c1 += r.correct1();
                c5 += r.correct5();
                services.steps().publish(event(TrainingStep.STEP, TrainingStep.VAL, batchIndex++, r.samples(), r.loss(), r.correct1(), r.correct5()));
            }
        } finally {
            reader.close();
        }
        lastTop1 = samples == 0 ? null : 100.0 * c1 / samples;
        lastTop5 = samples == 0 ? null : 100.0 * c5 / samples;
        services.steps().publish(event(TrainingStep.EPOCH_END, TrainingStep.VAL, 0, (int) samples, samples == 0 ? 0 : lossSum / samples, c1, c5));
        LOG.infof("run %s epoch %d val: %d samples, loss %.4f, top-1 %.2f%%, top-5 %.2f%%", config.runId(), epoch, samples,
                samples == 0 ? 0 : lossSum / samples, lastTop1 == null ? 0 : lastTop1, lastTop5 == null ? 0 : lastTop5);
    }

    /** Writes a checkpoint and moves latest.json to it; an S3 failure is reported and training goes on. */
    private void checkpoint(boolean epochComplete) {
        String key = CheckpointStore.runPrefix(config.runId()) + (epochComplete
                ? String.format("epoch-%04d.tar", epoch)
                : String.format("epoch-%04d-step-%08d.tar", epoch, step));
        // Mean over the samples this process trained in the epoch (a resumed epoch's earlier part is in the older checkpoint).
        long trained = epochSamples - epochSkip;
        double meanLoss = trained > 0 ? epochLossSum / trained : lastLoss;
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("epoch", (long) epoch);
        extra.put("epoch_complete", epochComplete);
        extra.put("epoch_samples", epochSamples);
        extra.put("step", step);
        extra.put("loss", meanLoss);
        extra.put("acc1", epochComplete ? lastTop1 : null);
        extra.put("acc5", epochComplete ? lastTop5 : null);
        Map<String, Object> offsets = new LinkedHashMap<>();
        offsets.put("topic", config.trainTopic());
        offsets.put("run_start", ResumePoint.toCheckpoint(position.runStart()));
        offsets.put("epoch_start", ResumePoint.toCheckpoint(position.epochStart()));
        offsets.put("epoch_end", ResumePoint.toCheckpoint(position.epochEnd()));
        extra.put("offsets", offsets);
        extra.put("dead_letters", ledger.toCheckpoint());
        extra.put("run", services.json(config));
        extra.put("format", "kafka-train/checkpoint/1");
        Double best = position.bestAcc1();
        String bestObject = position.bestObject();
        if (epochComplete && lastTop1 != null && (best == null || lastTop1 > best)) {
            best = lastTop1;
            bestObject = key;
        }
        LatestCheckpoint latest = new LatestCheckpoint(LatestCheckpoint.VERSION, config.runId(), key, epoch, epochComplete, step, meanLoss,
                epochComplete ? lastTop1 : null, epochComplete ? lastTop5 : null, bestObject, best, System.currentTimeMillis());
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("epoch", Integer.toString(epoch));
        metadata.put("step", Long.toString(step));
        metadata.put("loss", String.format("%.6f", meanLoss));
        metadata.put("acc1", epochComplete && lastTop1 != null ? String.format("%.3f", lastTop1) : "");
        metadata.put("acc5", epochComplete && lastTop5 != null ? String.format("%.3f", lastTop5) : "");
        Path file = null;
        try {
            file = Files.createTempFile("kafka-train-" + config.runId() + "-", ".tar");
            try (OutputStream out = Files.newOutputStream(file)) {
                TorchCheckpointFile.write(Checkpoints.toDict(trainer, extra), out);
            }
            long t0 = System.nanoTime();
            services.store().commit(config.runId(), key, file, metadata, latest);
            LOG.infof("run %s checkpoint %s (%d MB) in %.1f s", config.runId(), key, Files.size(file) >> 20, (System.nanoTime() - t0) / 1e9);
            lastCheckpoint = key;
            position = position.checkpointed(epochComplete, epochSamples, step, best, bestObject);
            if (epochComplete) {
                services.store().prune(config.runId(), config.keepLast(), latest);
            }
            message = "";
        } catch (IOException e) {
            message = "checkpoint " + key + " failed: " + e.getMessage();
            services.metrics().checkpointFailed(config.runId());
            LOG.errorf(e, "run %s: %s; training goes on, latest.json still names %s", config.runId(), message, lastCheckpoint);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warnf("cannot delete %s: %s", file, e.getMessage());
                }
            }
        }
    }

    private ImageTopicReader trainReader() {
        return new ImageTopicReader(services.kafka(), config.runId() + "-train", config.trainTopic(), codec(),
                manifest.height(), manifest.width(), manifest.channels(), services.deadLetters(), ledger);
    }

    private ImageRecordCodec codec() {
        return new ImageRecordCodec(services.limits().withNumClasses(manifest.classes().size()));
    }

    private TrainingStep event(String type, String split, int batch, int samples, double loss, long c1, long c5) {
        return new TrainingStep(TrainingStep.VERSION, type, config.runId(), split, epoch, step, batch, samples, loss, c1, c5,
                trainer.lr(), imagesPerSec, ledger.rejected(), System.currentTimeMillis());
    }

    private RunStatus snapshot(String state) {
        long perEpoch = manifest == null ? 0 : config.mode().equals(RunConfig.CONTINUOUS) ? config.epochSamples()
                : manifest.counts().getOrDefault(TrainingStep.TRAIN, Map.of()).values().stream().mapToLong(Long::longValue).sum();
        long eta = -1;
        if (stepsThisSession > 0 && perEpoch > 0) {
            double secondsPerSample = (System.nanoTime() - startedNanos) / 1e9 / Math.max(1, stepsThisSession * (long) config.batchSize());
            long remaining = Math.max(0, perEpoch - epochSamples) + (long) (config.epochs() - epoch - 1) * perEpoch;
            eta = state.equals(RunStatus.FINISHED) ? 0 : Math.max(0, (long) (remaining * secondsPerSample));
        }
        return new RunStatus(config.runId(), state, epoch, config.epochs(), step, trainer == null ? config.lr() : trainer.lr(), lastLoss,
                imagesPerSec, epochSamples, perEpoch, eta, lastCheckpoint, lastTop1, lastTop5, ledger.rejected(), message);
    }
}
