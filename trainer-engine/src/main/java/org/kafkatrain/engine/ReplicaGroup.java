package org.kafkatrain.engine;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.ByteVector;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.PrefixStore;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.nccl.ProcessGroupNCCL;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The replicas of one data-parallel run, on libtorch's c10d as {@code torch.distributed.init_process_group} sets them
 * up: rank 0 hosts a {@code TCPStore} at the rendezvous address, every rank connects to it, and a process group
 * (Gloo for CPU tensors, NCCL for CUDA ones) is built over the store under a prefix of the run, so a later group of
 * the same run on the same store does not read the keys of an earlier one. Every collective waits at most the
 * group's timeout: a replica that died makes the others' next collective fail (at once when its sockets close, within
 * the timeout when it hangs) instead of hanging them. The store also carries each rank's status for the others.
 */
public final class ReplicaGroup implements AutoCloseable {
    private final int rank;
    private final int size;
    private final TCPStore store;
    private final Store runStore;
    private final Backend backend;
    private final Duration timeout;
    private final Device device;

    private ReplicaGroup(
            int rank, int size, TCPStore store, Store runStore, Backend backend, Duration timeout, Device device) {
        this.device = device;
        this.rank = rank;
        this.size = size;
        this.store = store;
        this.runStore = runStore;
        this.backend = backend;
        this.timeout = timeout;
    }

    /**
     * Joins the group, waiting up to {@code timeout} for the store and for every rank.
     *
     * @param prefix  keys of this group in the store (a run and its attempt)
     * @param device  where the gradients live: CUDA selects NCCL, anything else Gloo
     */
    public static ReplicaGroup join(
            String host, int port, String prefix, int rank, int size, Device device, Duration timeout) {
        if (size < 2 || rank < 0 || rank >= size) {
            throw new IllegalArgumentException("rank " + rank + " of " + size + " replicas");
        }
        Milliseconds ms = new Milliseconds(timeout.toMillis());
        TCPStoreOptions options = new TCPStoreOptions();
        options.port((short) port);
        options.isServer(rank == 0);
        options.waitWorkers(false);
        options.timeout(ms);
        TCPStore store = new TCPStore(host, options);
        Store runStore = new PrefixStore(prefix, store);
        Backend backend;
        if (device.is_cuda()) {
            ProcessGroupNCCL.Options nccl = ProcessGroupNCCL.Options.create();
            nccl.timeout(ms);
            backend = new ProcessGroupNCCL(runStore, rank, size, nccl);
        } else {
            ProcessGroupGloo.Options gloo = ProcessGroupGloo.Options.create(ms);
            gloo.devices().push_back(ProcessGroupGloo.createDeviceForHostname(host));
            backend = new ProcessGroupGloo(runStore, rank, size, gloo);
        }
        return new ReplicaGroup(rank, size, store, runStore, backend, timeout, device);
    }

    public int rank() {
        return rank;
    }

    public int size() {
        return size;
    }

    public boolean leader() {
        return rank == 0;
    }

    /** Sums each tensor over the ranks, in place, one collective per tensor, all in flight together. */
    public void allReduceSum(List<Tensor> tensors) {
        List<Work> works = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            works.add(backend.allreduce(new TensorVector(t), new AllreduceOptions()));
        }
        works.forEach(this::await);
    }

    /** Sums counts over the ranks, through an int64 tensor on the group's device. */
    public long[] sum(long... values) {
        long[] out = new long[values.length];
        try (PointerScope ignored = new PointerScope()) {
            Tensor t = Tensors.longs(values).to(device, ScalarType.Long);
            allReduceSum(List.of(t));
            t.cpu().contiguous().data_ptr_long().get(out);
        }
        return out;
    }

    /** Rank 0's values into every rank's tensors, in place. */
    public void broadcastFromLeader(List<Tensor> tensors) {
        List<Work> works = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            works.add(backend.broadcast(new TensorVector(t), new BroadcastOptions().rootRank(0)));
        }
        works.forEach(this::await);
    }

    /** Publishes a value under {@code key} for the other ranks (the latest one wins). */
    public void put(String key, String value) {
        runStore.set(key, new ByteVector(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** A value another rank published, if it has. */
    public Optional<String> get(String key) {
        if (!runStore.check(new StringVector(key))) {
            return Optional.empty();
        }
        return Optional.of(new String(runStore.get(key).get(), StandardCharsets.UTF_8));
    }

    private void await(Work work) {
        boolean done;
        try {
            done = work._wait(new Milliseconds(timeout.toMillis()));
        } catch (RuntimeException e) {
            throw new ReplicaLostException("rank " + rank + " of " + size + " lost its group: " + e.getMessage(), e);
        }
        if (!done) {
            throw new ReplicaLostException(
                    "rank " + rank + " of " + size + ": a collective did not complete within " + timeout.toSeconds()
                            + " s",
                    null);
        }
    }

    @Override
    public void close() {
        backend.close();
        runStore.close();
        store.close();
    }
}
