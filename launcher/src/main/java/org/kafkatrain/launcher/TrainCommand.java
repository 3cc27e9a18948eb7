package org.kafkatrain.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import org.kafkatrain.contracts.runs.RunConfig;
import org.kafkatrain.contracts.runs.RunMode;
import org.kafkatrain.contracts.runs.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
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
        description = {
            "Starts a training run on trainer-service and follows it to its end with a progress line; exits non-zero if the run fails.",
            "A run id that has checkpoints resumes from the newest with its stored config (only --epochs, --device, --checkpoint-every,",
            "--keep-last and --max-eval-samples may change). A new run defaults to dataset fashion-mnist, 1 epoch, batch 32,",
            "Adam lr 1e-3, StepLR step 20 gamma 0.1."
        })
final class TrainCommand implements Callable<Integer> {
    static final TypeReference<RunStatus> STATUS = new TypeReference<>() {};
    static final String DEFAULT_DATASET = "fashion-mnist";

    @Option(names = "--run-id", description = "default: run-<date>-<time>")
    String runId;

    @Option(
            names = "--dataset",
            description =
                    "dataset id (a manifest on the datasets topic; default for a new run: " + DEFAULT_DATASET + ")")
    String dataset;

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
    String precision;

    @Option(
            names = "--channels-last",
            negatable = true,
            description = "weights and inputs in NHWC memory layout (faster convolutions with bf16 and on GPUs)")
    Boolean channelsLast;

    @Option(
            names = "--adam",
            description = "Adam's kernel: fused (ATen's _fused_adam_, default) or for-loop (reference)")
    String adam;

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
            description = "train data-parallel on N trainer processes (./kafka-train starts ranks 1..N-1 beside the"
                    + " trainer; the global batch is N x batch size)")
    Integer replicas;

    @Option(
            names = "--replica-urls",
            split = ",",
            defaultValue = "${env:KT_REPLICA_URLS}",
            description = "REST addresses of ranks 1..N-1, which get the same request (default: $KT_REPLICA_URLS)")
    List<String> replicaUrls;

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
        RunConfig request = request(id, trainer);
        List<String> ranks = replicaUrls == null ? List.of() : replicaUrls;
        if (replicas != null && replicas > 1 && ranks.size() != replicas - 1) {
            throw new IllegalArgumentException("--replicas " + replicas + " needs the REST addresses of ranks 1.."
                    + (replicas - 1) + " (--replica-urls or KT_REPLICA_URLS): got " + ranks);
        }
        RunStatus started = start(trainer, request, override);
        if (replicas != null && replicas > 1) {
            for (int r = 1; r < replicas; r++) {
                start(new ServiceClient("trainer-service rank " + r, ranks.get(r - 1)), request, override);
            }
        }
        if (noFollow) {
            return 0;
        }
        return RunFollower.report(
                new RunFollower(trainer, System.err, System.console() != null).follow(started.runId()), System.err);
    }

    /** The request as given; a new run (unknown to the trainer and the bucket) gets the default dataset. */
    RunConfig request(String id, ServiceClient trainer) {
        String ds = dataset;
        if (ds == null && trainer.get("/runs/" + id, STATUS).isEmpty()) {
            ds = DEFAULT_DATASET;
        }
        return new RunConfig(
                id,
                ds,
                trainTopic,
                valTopic,
                mode,
                epochs,
                epochSamples,
                lr,
                null,
                null,
                null,
                weightDecay,
                stepSize,
                gamma,
                batchSize,
                evalBatchSize,
                null,
                null,
                seed,
                augment,
                device,
                checkpointEvery,
                keepLast,
                shuffleBuffer,
                maxEvalSamples,
                initWeights,
                freezeEpochs,
                fromRun,
                fromCheckpoint,
                precision,
                channelsLast,
                adam,
                replicas,
                wholeTopics);
    }

    static RunStatus start(ServiceClient trainer, RunConfig config, boolean override) {
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
