package org.kafkatrain.engine;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradients averaged over a {@link ReplicaGroup} the way DistributedDataParallel does it: parameters in reverse
 * order (the order backward produces their gradients) packed into flat buckets of about 25 MiB, one all-reduce per
 * bucket, all in flight together, instead of one collective per parameter (ResNet-50 has 161). As DDP's
 * {@code gradient_as_bucket_view}, a contiguous parameter's gradient is a view into its bucket, so backward writes
 * straight into the buffer the all-reduce sends and nothing is copied in or out; a parameter in another layout
 * (channels_last weights) is copied. Each rank scales its gradients by its share of the global batch
 * ({@code local / global} samples), so the sum is the gradient of the mean loss over the global batch, exact also
 * when the replicas' batches differ in size (an epoch's last step). The step's loss and hits ride along in the first
 * bucket's tail, so summing them costs no collective of its own.
 */
final class GradientBuckets {
    /** DDP's {@code bucket_cap_mb} default. */
    static final long CAP_BYTES = 25L << 20;

    private final List<List<Tensor>> buckets = new ArrayList<>();
    private final List<Tensor> flats = new ArrayList<>();
    /** Per bucket, per parameter: whether its gradient is a view into the bucket. */
    private final List<List<Boolean>> views = new ArrayList<>();

    private final int extra;

    /** @param extra elements after the first bucket's gradients, for values summed with them */
    GradientBuckets(List<Tensor> params, long capBytes, int extra) {
        this.extra = extra;
        List<Tensor> current = new ArrayList<>();
        long bytes = 0;
        for (int i = params.size() - 1; i >= 0; i--) {
            Tensor p = params.get(i);
            current.add(p);
            bytes += p.numel() * p.element_size();
            if (bytes >= capBytes) {
                buckets.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!current.isEmpty()) {
            buckets.add(current);
        }
        for (int b = 0; b < buckets.size(); b++) {
            long n = buckets.get(b).stream().mapToLong(Tensor::numel).sum() + (b == 0 ? extra : 0);
            Tensor flat = buckets.get(b).get(0).new_zeros(n);
            flats.add(flat);
            List<Boolean> bucketViews = new ArrayList<>();
            long offset = 0;
            for (Tensor p : buckets.get(b)) {
                boolean view = p.is_contiguous();
                if (view) {
                    Tensor slot = flat.narrow(0, offset, p.numel()).view(p.sizes());
                    Tensor g = p.grad();
                    if (g.defined()) {
                        slot.copy_(g);
                    }
                    p.mutable_grad().put(slot);
                }
                bucketViews.add(view);
                offset += p.numel();
            }
            views.add(bucketViews);
        }
    }

    int bucketCount() {
        return buckets.size();
    }

    /**
     * Replaces every parameter's gradient by the group's weighted sum and returns {@code values} summed over the group.
     * A parameter without a gradient here counts as zero, and gets the sum as its gradient when it requires one, so
     * a rank that had no samples in this step takes the same optimizer step as the others.
     *
     * @param share  this rank's samples over the global batch's
     * @param values {@code extra} values, summed as they are
     */
    Tensor allReduce(ReplicaGroup group, double share, Tensor values) {
        Scalar scale = new Scalar(share);
        for (int b = 0; b < buckets.size(); b++) {
            Tensor flat = flats.get(b);
            long offset = 0;
            for (int i = 0; i < buckets.get(b).size(); i++) {
                Tensor p = buckets.get(b).get(i);
                if (!views.get(b).get(i)) {
                    Tensor slot = flat.narrow(0, offset, p.numel());
                    Tensor g = p.grad();
                    if (g.defined()) {
                        slot.copy_(g.reshape(-1));
                    } else {
                        slot.zero_();
                    }
                }
                offset += p.numel();
            }
            flat.mul_(scale);
        }
        Tensor tail = flats.get(0).narrow(0, flats.get(0).numel() - extra, extra);
        tail.copy_(values.to(tail.scalar_type()));
        group.allReduceSum(flats);
        for (int b = 0; b < buckets.size(); b++) {
            Tensor flat = flats.get(b);
            long offset = 0;
            for (int i = 0; i < buckets.get(b).size(); i++) {
                Tensor p = buckets.get(b).get(i);
                if (!views.get(b).get(i) && p.requires_grad()) {
                    Tensor g = p.grad();
                    if (!g.defined()) {
                        p.mutable_grad()
                                .put(flat.narrow(0, offset, p.numel())
                                        .view(p.sizes())
                                        .clone());
                    } else {
                        g.copy_(flat.narrow(0, offset, p.numel()).view(p.sizes()));
                    }
                }
                offset += p.numel();
            }
        }
        return tail.to(values.scalar_type());
    }
}
