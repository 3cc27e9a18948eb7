package org.kafkatrain.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.kafkatrain.contracts.DecoderLimits;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.RunField;
import org.kafkatrain.engine.TorchFileLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code trainer.*}: what a run takes when its request leaves it out, and the limits every run shares. */
@ConfigMapping(prefix = "trainer")
public interface TrainerConfig {
    @WithDefault(Topics.IMAGES_TRAIN)
    String trainTopic();

    @WithDefault(Topics.IMAGES_VAL)
    String valTopic();

    /** Compacted topic of dataset manifests (class names, image shape). */
    @WithDefault(Topics.DATASETS)
    String datasetsTopic();

    /** {@code auto} (CUDA when libtorch sees a GPU, else CPU), {@code cpu}, {@code cuda} or {@code cuda:N}. */
    @WithDefault(RunField.Deployment.DEVICE)
    String device();

    /**
     * How Adam's step is computed: {@code FUSED}, ATen's {@code _fused_adam_} (one pass over all parameters, as
     * {@code torch.optim.Adam(fused=True)}), or {@code FOR_LOOP}, the per-parameter reference. Same state, same
     * checkpoint layout; they agree within float rounding.
     */
    @WithDefault(RunField.Deployment.ADAM)
    AdamKernel adamKernel();

    /**
     * Training steps issued before the host reads their loss and hits back, in one copy: reading makes the host wait
     * for the device, so reading every step leaves a GPU idle while the next step is prepared. Step events are sent
     * at each read, one per step with its own values; a stop takes effect at the next read.
     */
    @WithDefault("8")
    int syncEvery();

    /**
     * Runs that train at once; more wait QUEUED. 1 suits one device: a ResNet-50 run keeps a CPU's cores or a GPU
     * busy. With several GPUs, each run takes its own.
     */
    @WithDefault("1")
    int maxConcurrentRuns();

    /** Runs that may wait QUEUED for a slot; a run started beyond them is refused with 429, so the queue is bounded. */
    @WithDefault("16")
    int maxQueuedRuns();

    /**
     * The directory under which {@code initWeights} may name a file ({@code file:/dir/weights.pt}); unset by default,
     * so a run starts only from weights in the bucket: a path on the trainer's host is the host's, not the caller's.
     * Checked at {@code POST /runs}, symbolic links resolved; only regular files.
     */
    Optional<Path> initWeightsDir();

    /** The largest {@code initWeights} file a run reads, from that directory or the bucket, in bytes (2 GiB). */
    @WithDefault("2147483648")
    long maxInitWeightsBytes();

    /**
     * Threads decoding a poll's records (JPEG/PNG decode, raw pixels checked) ahead of the shuffle, results kept in
     * record order; 1 decodes on the feed thread. More pays off where decoding is the feed's bottleneck (JPEG at
     * 224 px for a GPU, see {@code bench feed}); on a CPU run they take cores from training.
     */
    @WithDefault("1")
    int decodeThreads();

    /** libtorch intra-op threads; 0: one per core. */
    @WithDefault("0")
    int threads();

    /**
     * How long an epoch-end or stop checkpoint waits for S3 when it is away (the run pauses and shows the wait
     * in its status); after that the run fails with the reason. Mid-epoch checkpoints do not wait: they are skipped.
     */
    @WithDefault("PT30M")
    Duration checkpointPatience();

    /**
     * How long a run waits for a broker that is away (metadata and offsets requests at an epoch's start), showing
     * the wait in its status, before it fails with the reason.
     */
    @WithDefault("PT5M")
    Duration kafkaPatience();

    /**
     * The share of an epoch's train data that may be rejected (dead-lettered) before the run fails, naming the
     * problems; each rejected record counts as one sample against the samples accepted: above it, the run is most likely reading records that are not its dataset's (another dataset's
     * labels or shape on the topic), and a model trained on the rest would not be what was asked for. An epoch that
     * trains no sample at all fails whatever this says.
     */
    @WithDefault("0.5")
    double maxRejectedShare();

    DecoderLimits limits();

    TorchFiles torchFiles();

    /**
     * {@code trainer.torch-files.*}: what a {@code torch.save} file a run reads (initWeights, the checkpoint it
     * resumes or forks from) may make the trainer allocate; each unset one is {@link TorchFileLimits#DEFAULT}'s.
     */
    interface TorchFiles {
        /** Bytes of one entry of the archive, uncompressed. */
        Optional<Long> maxEntryBytes();

        /** Bytes of one tensor, as its shape states. */
        Optional<Long> maxTensorBytes();

        /** Bytes of the whole file, and of all its tensors together. */
        Optional<Long> maxTotalBytes();

        default TorchFileLimits limits() {
            TorchFileLimits d = TorchFileLimits.DEFAULT;
            return new TorchFileLimits(
                    // one entry is read into one array of the heap: unset, a quarter of the heap at most, so that
                    // a deflate bomb is refused rather than running a small heap out
                    maxEntryBytes()
                            .orElse(Math.min(
                                    d.maxEntryBytes(), Runtime.getRuntime().maxMemory() / 4)),
                    maxTensorBytes().orElse(d.maxTensorBytes()),
                    maxTotalBytes().orElse(d.maxTotalBytes()));
        }
    }

    Replicas replicas();

    /** This process's place in data-parallel runs ({@code replicas > 1} in the run's request). */
    interface Replicas {
        /**
         * This trainer's rank, 0 to replicas - 1: in Kubernetes a StatefulSet pod's ordinal (the chart sets it from
         * the {@code apps.kubernetes.io/pod-index} label), locally the launcher's numbering.
         */
        @WithDefault("0")
        int rank();

        /** host:port of the TCPStore that rank 0 hosts and every rank connects to. */
        @WithDefault("127.0.0.1:29400")
        String rendezvous();

        /**
         * How long a rank waits for the group to form, and for any collective: a replica that died or hangs makes
         * the others fail within it instead of hanging them. It must exceed the longest pause of one rank, such as a
         * checkpoint on rank 0 waiting for S3.
         */
        @WithDefault("PT2M")
        Duration timeout();

        /**
         * Rank 0's peers: the REST addresses of ranks 1, 2, ... in order, to which rank 0 forwards a data-parallel run
         * posted to it (a client posts the run once, to rank 0). The chart lists its StatefulSet's pods; the launcher
         * the ranks it starts beside a local trainer.
         */
        Optional<List<String>> peers();
    }

    Consumer consumer();

    interface Consumer {
        @WithDefault("64")
        int maxPollRecords();
    }
}
