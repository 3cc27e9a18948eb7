package org.kafkatrain.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.Precision;
import org.kafkatrain.contracts.runs.RunField;
import org.kafkatrain.contracts.runs.RunMode;
import org.kafkatrain.contracts.runs.RunRequest;
import org.kafkatrain.contracts.runs.RunSpecs;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.stack.Stack;
import org.kafkatrain.stack.StackCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/**
 * {@code train}: starts a run through {@code POST /runs} and follows it. Options left out are not sent, so the
 * trainer fills in its defaults for a new run and keeps the stored config of an existing one.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        abbreviateSynopsis = true,
        description = "(set by KafkaTrain from TrainCommand.description(), which RunField declares)")
final class TrainCommand implements Callable<Integer> {
    static final TypeReference<RunStatus> STATUS = new TypeReference<>() {};

    @Option(names = "--run-id", description = "default: run-<date>-<time>")
    String runId;

    @Option(
            names = "--dataset",
            description = "dataset id (a manifest on the datasets topic; a new run's default: fashion-mnist)")
    String dataset;

    @Spec
    CommandSpec spec;

    @Option(names = "--train-topic")
    String trainTopic;

    @Option(names = "--val-topic")
    String valTopic;

    @Option(
            names = "--whole-topics",
            description = "read the train and val topics whole (records any client added), not only the records"
                    + " the dataset's manifest pins there")
    Boolean wholeTopics;

    @Option(names = "--epochs")
    Integer epochs;

    @Option(names = "--batch-size")
    Integer batchSize;

    @Option(names = "--eval-batch-size")
    Integer evalBatchSize;

    @Option(names = "--lr")
    Double lr;

    @Option(names = "--step-size", description = "StepLR step, in epochs")
    Integer stepSize;

    @Option(names = "--gamma", description = "StepLR factor")
    Double gamma;

    @Option(names = "--weight-decay")
    Double weightDecay;

    @Option(names = "--seed")
    Long seed;

    @Option(names = "--augment", description = "seeded random crop (padding 4) and horizontal flip")
    Boolean augment;

    @Option(names = "--device", description = "auto, cpu, cuda or cuda:N")
    String device;

    @Option(
            names = "--precision",
            description = "fp32 (default), tf32 (TF32 matmuls on CUDA; fp32 on the CPU) or bf16 (bfloat16 autocast)")
    Precision precision;

    @Option(
            names = "--channels-last",
            negatable = true,
            description = "weights and inputs in NHWC memory layout (faster convolutions with bf16 and on GPUs)")
    Boolean channelsLast;

    @Option(
            names = "--adam",
            description = "Adam's kernel: fused (ATen's _fused_adam_, default) or for-loop (reference)")
    AdamKernel adam;

    @Option(names = "--mode", description = "epochs or continuous")
    RunMode mode;

    @Option(names = "--epoch-samples", description = "samples per epoch in continuous mode")
    Long epochSamples;

    @Option(names = "--checkpoint-every", description = "also checkpoint every N steps")
    Integer checkpointEvery;

    @Option(names = "--keep-last", description = "epoch checkpoints kept besides the best one")
    Integer keepLast;

    @Option(names = "--shuffle-buffer")
    Integer shuffleBuffer;

    @Option(
            names = "--init-weights",
            description =
                    "start from these weights: an object key in the checkpoint bucket or file:/path on the trainer;"
                            + " torchvision's resnet50 state dict (torch.save) or a kafka-train checkpoint")
    String initWeights;

    @Option(names = "--freeze-epochs", description = "with --init-weights: train only fc for the first N epochs")
    Integer freezeEpochs;

    @Option(names = "--from-run", description = "fork: start from this run's checkpoint (weights, Adam, offsets)")
    String fromRun;

    @Option(names = "--from-checkpoint", description = "with --from-run: latest (default), best, or epoch-NNNN.tar")
    String fromCheckpoint;

    @Option(
            names = "--replicas",
            description = "train data-parallel on N trainer processes (./kafka-train starts ranks 1..N-1 beside a local"
                    + " trainer, which forwards them the run; the global batch is N x batch size)")
    Integer replicas;

    @Option(names = "--max-eval-samples")
    Long maxEvalSamples;

    @Option(
            names = "--override",
            description = "resume an existing run even with other data or model settings (recorded in its run.json)")
    boolean override;

    @Option(names = "--no-follow", description = "start the run and return")
    boolean noFollow;

    @Mixin
    Services services;

    @Override
    public Integer call() throws Exception {
        ServiceClient trainer = services.trainer();
        String id = runId != null
                ? runId
                : "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        RunRequest request = request(id);
        if (services.local("--trainer-url")) {
            // a run on the local stack: bring up what it needs (the stack, the trainer, metrics-stream, the ranks)
            Stack stack = StackCommand.fromEnvironment();
            stack.up();
            // a resumed run keeps its replica count: its ranks are started too
            int ranks = replicas != null
                    ? replicas
                    : trainer.get("/runs/" + id + "/config", new TypeReference<JsonNode>() {})
                            .map(c -> RunSpecs.read(c).distribution().replicas())
                            .orElse(1);
            if (ranks > 1) {
                stack.replicas(ranks);
            }
        }
        // a data-parallel run too is posted once, to rank 0, which forwards it to its peers
        RunStatus started = start(trainer, request, override);
        if (noFollow) {
            return 0;
        }
        return RunFollower.report(
                new RunFollower(trainer, System.err, System.console() != null).follow(started.runId()), System.err);
    }

    /**
     * The request as given: each option that sets a {@link RunField} and was given, by the field's declared option;
     * the trainer fills in the rest (defaults for a new run, the stored spec for an existing one).
     */
    RunRequest request(String id) {
        RunRequest request = RunRequest.forRun(id);
        for (RunField field : RunField.values()) {
            if (field.option().isPresent()) {
                request = request.with(
                        field, spec.findOption(field.option().get()).getValue());
            }
        }
        return request;
    }

    /** The command's description, with what a resumed run may change as {@link RunField} declares it. */
    static String[] description() {
        return new String[] {
            "Starts a training run on trainer-service and follows it to its end with a progress line; exits non-zero if"
                    + " the run fails.",
            "A run id that has checkpoints resumes from the newest with its stored spec; a resumed run may change only "
                    + RunField.adjustableOnResumeText() + " (others need --override).",
            "A new run defaults to dataset " + RunField.DATASET.defaultValue() + ", " + RunField.EPOCHS.defaultValue()
                    + " epoch, batch " + RunField.BATCH_SIZE.defaultValue() + ", Adam lr " + RunField.LR.defaultValue()
                    + ", StepLR step " + RunField.STEP_SIZE.defaultValue() + " gamma " + RunField.GAMMA.defaultValue()
                    + "; a dataset's topics are the ones its manifest names."
        };
    }

    static RunStatus start(ServiceClient trainer, RunRequest config, boolean override) {
        RunStatus status = trainer.post(override ? "/runs?override=true" : "/runs", config, 201, STATUS);
        String how = status.queuePosition() == null
                ? "started"
                : "queued at position " + status.queuePosition() + " (POST /runs/" + status.runId()
                        + "/stop cancels it)";
        System.err.println("kafka-train: run " + status.runId() + " " + how + " (status: GET /runs/" + status.runId()
                + " on " + trainer.name() + ")");
        return status;
    }
}
