package org.kafkatrain.trainer.run;

import org.bytedeco.pytorch.Device;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.DatasetRecords;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.contracts.runs.RunMode;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.engine.Checkpoints;
import org.kafkatrain.engine.DeviceChoice;
import org.kafkatrain.engine.ShuffleBuffer;
import org.kafkatrain.engine.TorchCheckpointFile;
import org.kafkatrain.engine.Trainer;
import org.kafkatrain.store.CheckpointEntries;
import org.kafkatrain.store.LatestCheckpoint;
import org.kafkatrain.store.RunDocument;
import org.kafkatrain.trainer.data.BatchFeed;
import org.kafkatrain.trainer.data.BatchShape;
import org.kafkatrain.trainer.data.DeadLetterLedger;
import org.kafkatrain.trainer.data.EpochBatches;
import org.kafkatrain.trainer.data.EpochSpan;
import org.kafkatrain.trainer.data.ImageSource;
import org.kafkatrain.trainer.data.IntakeTally;
import org.kafkatrain.trainer.data.Stripe;
import org.kafkatrain.trainer.store.ResumePoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A run made ready to train: its dataset's manifest, a trainer on the chosen device, its image sources, and where
 * it continues: from the run's {@code latest.json} checkpoint when there is one (weights, Adam, StepLR, dead-letter
 * ledger, offsets), else from the train topic's first offsets, recorded in a new {@code run.json}.
 */
record RunSetup(
        DatasetManifest manifest,
        Trainer trainer,
        DeadLetterLedger ledger,
        ImageSource.Factory sources,
        ResumePoint position,
        Optional<LatestCheckpoint> resumedFrom,
        Stripe stripe,
        IntakeTally intake,
        Map<String, DatasetRecords> pinned) {
    private static final Logger LOG = Logger.getLogger(RunSetup.class);

    /**
     * @param device where to train ({@code auto}, {@code cpu}, {@code cuda:N}): the config's, or the GPU the manager
     *               gave the run
     * @param stripe this process's samples of each pass: all of them, or one replica's; only the first replica
     *               (rank 0) writes {@code run.json} and dead letters
     * @param onWait hears when the run waits for Kafka
     */
    static RunSetup prepare(
            RunSpec config, String device, TrainerServices services, Stripe stripe, Consumer<String> onWait)
            throws Exception {
        boolean leader = stripe.rank() == 0;
        DatasetManifest manifest = services.catalog()
                .find(config.data().dataset())
                .orElseThrow(() -> new IllegalStateException("no manifest for dataset '"
                        + config.data().dataset() + "' on the datasets topic: ingest the dataset first"));
        Device chosen = DeviceChoice.select(device);
        Trainer trainer = new Trainer(
                manifest.classes().size(),
                EngineSettings.hyperparameters(config, manifest.height()),
                chosen,
                EngineSettings.compute(config));
        DeadLetterLedger ledger = new DeadLetterLedger();
        IntakeTally intake = new IntakeTally();
        Map<String, DatasetRecords> pinned = pinned(config, manifest);
        ImageSource.Factory sources = services.imageSources(manifest, pinned, ledger, intake, onWait, leader);
        services.store().ensureBucket();
        Optional<LatestCheckpoint> latest = services.store().latest(config.runId());
        ResumePoint position;
        if (latest.isPresent()) {
            try (InputStream in = services.store().open(latest.get().object())) {
                Map<String, Object> checkpoint = TorchCheckpointFile.read(
                        in, services.config().torchFiles().limits());
                Checkpoints.restore(trainer, checkpoint);
                CheckpointEntries entries = CheckpointEntries.fromDict(checkpoint);
                ledger.restore(entries.deadLetters());
                position = ResumePoint.of(entries, latest.get());
            }
            LOG.infof(
                    "run %s resumes from %s: epoch %d (%s, %d samples done), step %d, lr %g",
                    config.runId(),
                    latest.get().object(),
                    position.epoch(),
                    position.epochComplete() ? "complete" : "in progress",
                    position.epochSamples(),
                    position.step(),
                    trainer.lr());
        } else {
            RunDocument.ForkedFrom forkedFrom = null;
            if (config.start().fromRun() != null) {
                String parent = services.store()
                        .checkpointKey(config.start().fromRun(), config.start().fromCheckpoint());
                try (InputStream in = services.store().open(parent)) {
                    Map<String, Object> checkpoint = TorchCheckpointFile.read(
                            in, services.config().torchFiles().limits());
                    Checkpoints.restore(trainer, checkpoint);
                    CheckpointEntries entries = CheckpointEntries.fromDict(checkpoint);
                    ledger.restore(entries.deadLetters());
                    position = ResumePoint.forkedFrom(entries);
                }
                forkedFrom = new RunDocument.ForkedFrom(config.start().fromRun(), parent);
                LOG.infof(
                        "run %s forks %s at epoch %d (%d samples done), step %d, lr %g",
                        config.runId(),
                        parent,
                        position.epoch(),
                        position.epochSamples(),
                        position.step(),
                        trainer.lr());
            } else {
                try (ImageSource source =
                        sources.open(config.runId() + "-offsets", config.data().trainTopic())) {
                    position = ResumePoint.fresh(source.beginning());
                }
                if (config.start().initWeights() != null) {
                    List<String> fresh = Checkpoints.initFrom(trainer.model(), initialWeights(config, services));
                    LOG.infof(
                            "run %s starts from the weights in %s%s",
                            config.runId(), config.start().initWeights(), fresh.isEmpty() ? "" : "; new " + fresh);
                }
            }
            if (leader) {
                services.store()
                        .writeRunDocument(RunDocument.started(config, manifest, position.runStart(), forkedFrom));
            }
            LOG.infof(
                    "run %s starts: %d classes, %dx%dx%d images, device %s",
                    config.runId(),
                    manifest.classes().size(),
                    manifest.height(),
                    manifest.width(),
                    manifest.channels(),
                    chosen.str().getString());
        }
        return new RunSetup(manifest, trainer, ledger, sources, position, latest, stripe, intake, pinned);
    }

    /**
     * Topic -> the dataset's records there, for the topics this run reads only those of: its split's topic as the
     * manifest records it. A topic the manifest does not name (records from any client), a train topic in
     * continuous mode (a live stream, not a fixed set), one topic for both splits, or a run that asks for
     * {@code wholeTopics} reads the topic whole.
     */
    static Map<String, DatasetRecords> pinned(RunSpec config, DatasetManifest manifest) {
        if (config.data().wholeTopics()
                || config.data().trainTopic().equals(config.data().valTopic())) {
            return Map.of();
        }
        Map<String, DatasetRecords> pinned = new HashMap<>();
        manifest.recordsOf(TrainingStep.TRAIN)
                .filter(r -> config.data().mode() == RunMode.EPOCHS
                        && r.topic().equals(config.data().trainTopic()))
                .ifPresent(r -> pinned.put(r.topic(), r));
        manifest.recordsOf(TrainingStep.VAL)
                .filter(r -> r.topic().equals(config.data().valTopic()))
                .ifPresent(r -> pinned.put(r.topic(), r));
        return pinned;
    }

    /**
     * Fails the run when an epoch's train pass took in nothing it could train on, or rejected more than
     * {@code maxRejectedShare} of what it read (rejected records against them plus the samples accepted): such a run
     * most likely reads records that are not its dataset's, and ending FINISHED with an untrained model would hide
     * it.
     *
     * @param taken the train topic's records read and rejected during the epoch's pass
     */
    void checkIntake(RunSpec config, int epoch, IntakeTally.Count taken, long trained, double maxRejectedShare) {
        String topic = config.data().trainTopic();
        if (taken.records() == 0 && trained == 0) {
            throw new IllegalStateException("epoch " + epoch + " read no record of " + topic + hint(config));
        }
        double share = taken.rejectedShare();
        if (trained == 0 || share > maxRejectedShare) {
            throw new IllegalStateException(String.format(
                    "epoch %d %s: %d of %d records of %s rejected (%s; dead-lettered with their reasons), %d samples"
                            + " accepted%s",
                    epoch,
                    trained == 0
                            ? "trained no sample"
                            : String.format(
                                    "rejected %.0f%% of its data, more than trainer.max-rejected-share %.2f",
                                    100 * share, maxRejectedShare),
                    taken.rejectedTotal(),
                    taken.records(),
                    topic,
                    taken.problems(),
                    taken.samples(),
                    hint(config)));
        }
    }

    /** What to check when a run's train topic does not give it its dataset's samples. */
    private String hint(RunSpec config) {
        Optional<DatasetRecords> train = manifest.recordsOf(TrainingStep.TRAIN);
        if (train.isPresent() && !train.get().topic().equals(config.data().trainTopic())) {
            return "; dataset " + manifest.dataset() + "'s train records are on "
                    + train.get().topic() + ": leave trainTopic out (--train-topic) and the run reads them";
        }
        return "; check that the topic holds dataset " + manifest.dataset() + "'s records (--dataset, --train-topic)";
    }

    /** The file of {@code initWeights}: an object key in the bucket, or a file the operator allows. */
    private static Map<String, Object> initialWeights(RunSpec config, TrainerServices services) throws IOException {
        String source = config.start().initWeights();
        try (InputStream in = services.initWeights().open(source, services.store())) {
            return TorchCheckpointFile.read(in, services.config().torchFiles().limits());
        } catch (IOException e) {
            throw new IOException("cannot read initWeights " + source + ": " + e.getMessage(), e);
        }
    }

    /** Where epoch {@code epoch} starts: the checkpoint's own span when resuming inside it, else fresh offsets. */
    ResumePoint epochStart(RunSpec config, int epoch, ResumePoint position) {
        if (epoch == position.epoch() && position.midEpoch()) {
            return position; // samples it already trained are read again, in the same order, and skipped
        }
        boolean continuous = config.data().mode() == RunMode.CONTINUOUS;
        Map<Integer, Long> start =
                continuous && position.epochEnd() != null ? position.epochEnd() : position.runStart();
        try (ImageSource source =
                sources.open(config.runId() + "-offsets", config.data().trainTopic())) {
            return position.inEpoch(epoch, 0, position.step(), start, continuous ? null : source.end());
        }
    }

    /** The epoch's batches from {@code position}'s span, in the seeded order; {@code reachedEnd} as in EpochBatches. */
    BatchFeed trainFeed(RunSpec config, ResumePoint position, Consumer<Map<Integer, Long>> reachedEnd) {
        EpochSpan span = new EpochSpan(
                position.epochStart(), position.epochEnd(), config.data().epochSamples(), position.epochSamples());
        return EpochBatches.train(
                sources,
                config.runId() + "-train",
                config.data().trainTopic(),
                span,
                stripe,
                shape(config.optimization().batchSize()),
                config.data().shuffleBuffer(),
                ShuffleBuffer.epochSeed(config.data().seed(), position.epoch()),
                config.data().augment(),
                reachedEnd);
    }

    BatchFeed evalFeed(RunSpec config) {
        return EpochBatches.eval(
                sources,
                config.runId() + "-val",
                config.data().valTopic(),
                stripe,
                shape(config.evaluation().batchSize()),
                config.evaluation().maxSamples() > 0 ? config.evaluation().maxSamples() : Long.MAX_VALUE);
    }

    BatchShape shape(int batchSize) {
        return new BatchShape(batchSize, manifest.height(), manifest.width(), manifest.channels());
    }

    /** Samples in one epoch: the manifest's train count, or the configured epoch length in continuous mode. */
    long samplesPerEpoch(RunSpec config) {
        return switch (config.data().mode()) {
            case CONTINUOUS -> config.data().epochSamples();
            case EPOCHS -> manifest.imagesOf(TrainingStep.TRAIN);
        };
    }
}
