package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.stack;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

import java.util.ArrayList;
import java.util.List;

/**
 * A step's loss and hits while they may still be on the device: reading them is what makes the host wait for the
 * device, so a loop issues several steps and reads their results together ({@link #readAll}), one copy for the lot,
 * and the device keeps a queue of work meanwhile. The sums are the ones {@code item()} would read, bit for bit.
 */
public final class PendingResult {
    private final int samples;
    /** Loss, top-1 hits, top-k hits as a 3-element float64 tensor on the device; null once read. */
    private Tensor stats;

    private BatchResult known;

    private PendingResult(int samples, Tensor stats, BatchResult known) {
        this.samples = samples;
        this.stats = stats;
        this.known = known;
    }

    /** Takes over {@code stats}: it outlives the step's pointer scope until read. */
    static PendingResult onDevice(int samples, Tensor stats) {
        stats.retainReference();
        return new PendingResult(samples, stats, null);
    }

    /** A result already on the host (what a loop is tested with). */
    public static PendingResult known(BatchResult result) {
        return new PendingResult(result.samples(), null, result);
    }

    public int samples() {
        return samples;
    }

    /** The results of {@code window}, in its order, with one device-to-host copy for those still on the device. */
    public static List<BatchResult> readAll(List<PendingResult> window) {
        List<PendingResult> onDevice =
                window.stream().filter(r -> r.known == null).toList();
        if (!onDevice.isEmpty()) {
            try (PointerScope ignored = new PointerScope()) {
                TensorVector all = new TensorVector();
                onDevice.forEach(r -> all.push_back(r.stats));
                Tensor host = stack(all).cpu().contiguous();
                double[] values = new double[3 * onDevice.size()];
                host.data_ptr_double().get(values);
                for (int i = 0; i < onDevice.size(); i++) {
                    PendingResult r = onDevice.get(i);
                    r.known = new BatchResult(
                            r.samples, values[3 * i], (long) values[3 * i + 1], (long) values[3 * i + 2]);
                    r.stats.releaseReference();
                    r.stats = null;
                }
            }
        }
        List<BatchResult> results = new ArrayList<>(window.size());
        window.forEach(r -> results.add(r.known));
        return results;
    }

    /** This result alone: a read of its own. */
    public BatchResult read() {
        return readAll(List.of(this)).get(0);
    }
}
