package org.kafkatrain.engine;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Trainer} as one replica of a data-parallel group, as DistributedDataParallel runs a module: the model's
 * state is broadcast from rank 0 when the group forms (a fresh start and a resume alike), each step's gradients are
 * averaged over the group in buckets before the optimizer steps (so every rank takes the same step and the weights
 * stay equal), and the step's loss and hits are summed over the group, so every rank sees the global batch's result.
 * Batch norm keeps per-replica batch statistics, DDP's default.
 */
public final class DataParallel {
    /** Loss sum, top-1 and top-k hits. */
    private static final int STATS = 3;

    private final Trainer trainer;
    private final ReplicaGroup group;
    private final GradientBuckets buckets;
    private long allReduceNanos;

    public DataParallel(Trainer trainer, ReplicaGroup group) {
        this.trainer = trainer;
        this.group = group;
        this.buckets = new GradientBuckets(trainer.optimizer().params(), GradientBuckets.CAP_BYTES, STATS);
    }

    /** Rank 0's parameters and buffers into every rank's model. */
    public void broadcastModel() {
        try (PointerScope ignored = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            group.broadcastFromLeader(
                    new ArrayList<>(StateDict.of(trainer.model()).values()));
        }
    }

    public ReplicaGroup group() {
        return group;
    }

    /**
     * Time spent packing, all-reducing and unpacking gradients so far, as the host saw it: the figure that, set
     * against the step time, says how far a group can scale.
     */
    public double allReduceSeconds() {
        return allReduceNanos / 1e9;
    }

    /** Gradient buckets a step all-reduces. */
    public int bucketCount() {
        return buckets.bucketCount();
    }

    /**
     * This rank's part of a step of {@code globalSamples}: its own batch, possibly empty.
     *
     * @param globalSamples the step's samples on all ranks together (known from the group's lockstep)
     */
    public PendingResult trainStep(Batch batch, int globalSamples) {
        return trainer.issueTrainStep(batch, (samples, stats) -> {
            long t0 = System.nanoTime();
            Tensor sums = buckets.allReduce(group, (double) samples / globalSamples, weighted(stats, samples));
            allReduceNanos += System.nanoTime() - t0;
            return global(sums, globalSamples);
        });
    }

    /** This rank's part of an evaluation batch of {@code globalSamples}. */
    public PendingResult evalStep(Batch batch, int globalSamples) {
        return trainer.issueEvalBatch(batch, (samples, stats) -> {
            Tensor sums = weighted(stats, samples);
            group.allReduceSum(List.of(sums));
            return global(sums, globalSamples);
        });
    }

    /** Loss times samples (a sum over the ranks is then the global batch's loss sum), hits as they are. */
    private static Tensor weighted(Tensor stats, int samples) {
        Tensor w = stats.clone();
        w.narrow(0, 0, 1).mul_(new Scalar((double) samples));
        return w;
    }

    private static PendingResult global(Tensor sums, int globalSamples) {
        Tensor mean = sums.to(ScalarType.Double).clone();
        mean.narrow(0, 0, 1).div_(new Scalar((double) globalSamples));
        return PendingResult.onDevice(globalSamples, mean);
    }
}
