package org.kafkatrain.trainer.replica;

import org.jboss.logging.Logger;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.DataParallel;
import org.kafkatrain.engine.PendingResult;
import org.kafkatrain.engine.ReplicaGroup;
import org.kafkatrain.engine.ReplicaLostException;
import org.kafkatrain.engine.Trainer;
import org.kafkatrain.trainer.config.TrainerConfig;
import org.kafkatrain.trainer.data.BatchShape;
import org.kafkatrain.trainer.data.BatchStream;
import org.kafkatrain.trainer.data.Stripe;
import org.kafkatrain.trainer.loop.TrainingListener;
import org.kafkatrain.trainer.store.ResumePoint;

import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One of a data-parallel run's processes: every rank takes each step together over Gloo (ReplicaGroup), each on its
 * stripe of the samples, gradients all-reduced; rank 0 forwards the run to its peers, leads and writes for the group.
 */
final class LockstepReplicas implements RunReplicas {
    private static final Logger LOG = Logger.getLogger(LockstepReplicas.class);

    private final RunSpec spec;
    private final int count;
    private final TrainerConfig.Replicas self;
    private final PeerForwarder peers;
    private final boolean forwarded;
    private final BooleanSupplier stopAskedHere;
    private final Supplier<RunStatus> ownStatus;
    private volatile ReplicaGroup group;
    private volatile ReplicaLockstep lockstep;
    private volatile ReplicaReports reports;

    LockstepReplicas(
            RunSpec spec,
            int count,
            TrainerConfig.Replicas self,
            PeerForwarder peers,
            boolean forwarded,
            BooleanSupplier stopAskedHere,
            Supplier<RunStatus> ownStatus) {
        this.spec = spec;
        this.ownStatus = ownStatus;
        this.count = count;
        this.self = self;
        this.peers = peers;
        this.forwarded = forwarded;
        this.stopAskedHere = stopAskedHere;
    }

    @Override
    public Stripe stripe() {
        return new Stripe(self.rank(), count);
    }

    @Override
    public boolean leads() {
        return self.rank() == 0;
    }

    @Override
    public void start(Trainer trainer, ResumePoint at, Consumer<String> waiting) throws Exception {
        if (leads() && !forwarded) {
            waiting.accept("sending the run to ranks 1.." + (count - 1));
            peers.forward(spec, self.timeout());
        }
        waiting.accept("waiting for " + count + " replicas at " + self.rendezvous());
        group = join(trainer);
        long[] here = {at.epoch(), at.step(), at.epochSamples()};
        long[] sums = group.sum(here);
        if (!Arrays.equals(sums, Arrays.stream(here).map(v -> v * count).toArray())) {
            throw new IllegalStateException("replicas start from different places of the run (epoch, step, samples"
                    + " here " + Arrays.toString(here) + ", summed over " + count + " ranks " + Arrays.toString(sums)
                    + "): each must read the same latest checkpoint; restart them together");
        }
        DataParallel parallel = new DataParallel(trainer, group);
        parallel.broadcastModel();
        LOG.infof(
                "rank %d of %d: model from rank 0, gradients all-reduced in %d buckets, epoch %d step %d",
                self.rank(), count, parallel.bucketCount(), at.epoch(), at.step());
        lockstep = new ReplicaLockstep(parallel, stopAskedHere);
        reports = new ReplicaReports(group, lockstep, ownStatus);
        waiting.accept("");
    }

    /** Rank 0 hosts the store, every rank waits up to the timeout for the others. */
    private ReplicaGroup join(Trainer trainer) {
        String rendezvous = self.rendezvous();
        int colon = rendezvous.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("trainer.replicas.rendezvous must be host:port: " + rendezvous);
        }
        LOG.infof("run %s: rank %d of %d joining at %s", spec.runId(), self.rank(), count, rendezvous);
        return ReplicaGroup.join(
                rendezvous.substring(0, colon),
                Integer.parseInt(rendezvous.substring(colon + 1)),
                spec.runId(),
                self.rank(),
                count,
                trainer.device(),
                self.timeout());
    }

    @Override
    public PendingResult train(Batch batch) {
        return lockstep.train(batch);
    }

    @Override
    public PendingResult evaluate(Batch batch) {
        return lockstep.eval(batch);
    }

    @Override
    public BatchStream paced(BatchStream feed, BatchShape emptyBatch, boolean training) {
        return lockstep.over(feed, emptyBatch, training);
    }

    @Override
    public boolean stopped() {
        return lockstep == null ? stopAskedHere.getAsBoolean() : lockstep.stopAgreed();
    }

    @Override
    public List<TrainingListener> listeners() {
        return List.of(reports);
    }

    @Override
    public RunStatus status(RunStatus own) {
        ReplicaReports r = reports;
        return r == null ? own : own.withReplicas(r.current());
    }

    @Override
    public void close(Throwable failure) {
        if (reports != null && !(failure instanceof ReplicaLostException)) {
            reports.report(true); // a lost group's store may be gone with rank 0: no last word then
        }
        if (group != null) {
            group.close();
        }
    }
}
