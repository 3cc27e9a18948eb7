package org.kafkatrain.trainer.run;

import org.bytedeco.pytorch.Device;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.engine.DataParallel;
import org.kafkatrain.engine.ReplicaGroup;
import org.kafkatrain.trainer.config.TrainerConfig;
import org.kafkatrain.trainer.data.Stripe;
import org.kafkatrain.trainer.loop.ReplicaLockstep;
import org.kafkatrain.trainer.store.ResumePoint;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * This process's part in a run: the run's replica count, with this trainer's rank, rendezvous and timeout.
 *
 * @param rendezvous host:port of rank 0's TCPStore
 */
record Replicas(int count, int rank, String rendezvous, Duration timeout) {
    private static final Logger LOG = Logger.getLogger(Replicas.class);

    static Replicas of(RunSpec config, TrainerConfig.Replicas process) {
        int count = config.distribution().replicas();
        int rank = count == 1 ? 0 : process.rank();
        if (rank >= count) {
            throw new IllegalArgumentException(
                    "this trainer is rank " + rank + " (trainer.replicas.rank) and the run has " + count + " replicas");
        }
        return new Replicas(count, rank, process.rendezvous(), process.timeout());
    }

    /** The samples of each pass this process trains. */
    Stripe stripe() {
        return new Stripe(rank, count);
    }

    /** Joins the run's group: rank 0 hosts the store, every rank waits up to the timeout for the others. */
    ReplicaGroup join(String runId, Device device) {
        int colon = rendezvous.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("trainer.replicas.rendezvous must be host:port: " + rendezvous);
        }
        String host = rendezvous.substring(0, colon);
        int port = Integer.parseInt(rendezvous.substring(colon + 1));
        LOG.infof("run %s: rank %d of %d joining at %s", runId, rank, count, rendezvous);
        return ReplicaGroup.join(host, port, runId, rank, count, device, timeout);
    }

    /**
     * The group's first steps, before any training: every rank must stand at the same place of the run (they
     * read the same checkpoint, or none), then rank 0's weights and buffers go to all.
     */
    ReplicaLockstep start(RunSetup setup, ReplicaGroup group, BooleanSupplier stopAskedHere) {
        ResumePoint at = setup.position();
        long[] here = {at.epoch(), at.step(), at.epochSamples()};
        long[] sums = group.sum(here);
        if (!Arrays.equals(sums, Arrays.stream(here).map(v -> v * count).toArray())) {
            throw new IllegalStateException("replicas start from different places of the run (epoch, step, samples"
                    + " here " + Arrays.toString(here) + ", summed over " + count + " ranks " + Arrays.toString(sums)
                    + "): each must read the same latest checkpoint; restart them together");
        }
        DataParallel replicas = new DataParallel(setup.trainer(), group);
        replicas.broadcastModel();
        LOG.infof(
                "rank %d of %d: model from rank 0, gradients all-reduced in %d buckets, epoch %d step %d",
                rank, count, replicas.bucketCount(), at.epoch(), at.step());
        return new ReplicaLockstep(replicas, stopAskedHere);
    }
}
