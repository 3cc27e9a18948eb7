package org.kafkatrain.trainer.replica;

import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.engine.PendingResult;
import org.kafkatrain.engine.Trainer;
import org.kafkatrain.trainer.config.TrainerConfig;
import org.kafkatrain.trainer.data.BatchShape;
import org.kafkatrain.trainer.data.BatchStream;
import org.kafkatrain.trainer.data.Stripe;
import org.kafkatrain.trainer.loop.TrainingListener;
import org.kafkatrain.trainer.store.ResumePoint;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one place a run's replicas show: how this process takes part in the run, as the training loop sees it. One
 * process trains alone ({@link SingleProcess}); a data-parallel run's processes train in lockstep
 * ({@link LockstepReplicas}), rank 0 forwarding the run to its peers, leading and writing for the group.
 */
public interface RunReplicas {
    /**
     * How this trainer takes part in {@code spec}.
     *
     * @param forwarded     the run came from rank 0, not from a client: do not forward it again
     * @param stopAskedHere whether this process was asked to stop the run
     * @param ownStatus     this process's status of the run, which rank 0 reports beside its peers'
     * @throws IllegalArgumentException when this trainer's rank is not one of the run's
     */
    static RunReplicas of(
            RunSpec spec,
            TrainerConfig.Replicas self,
            PeerForwarder peers,
            boolean forwarded,
            BooleanSupplier stopAskedHere,
            Supplier<RunStatus> ownStatus) {
        int count = spec.distribution().replicas();
        if (count == 1) {
            return new SingleProcess(stopAskedHere);
        }
        if (self.rank() >= count) {
            throw new IllegalArgumentException("this trainer is rank " + self.rank()
                    + " (trainer.replicas.rank) and the run has " + count + " replicas");
        }
        if (self.rank() > 0 && !forwarded) {
            throw new IllegalArgumentException("this trainer is rank " + self.rank() + ": a data-parallel run is"
                    + " posted to rank 0, which forwards it to its peers");
        }
        return new LockstepReplicas(spec, count, self, peers, forwarded, stopAskedHere, ownStatus);
    }

    /** Which samples of each pass this process trains. */
    Stripe stripe();

    /** Whether this process writes for the run: run.json, checkpoints, dead letters, step events, metrics. */
    boolean leads();

    /**
     * Before the first step: the peers get the run (rank 0), the group forms, every rank stands at the same place of
     * the run, and rank 0's weights reach all.
     *
     * @param waiting hears what the run waits for ("" once it waits no more)
     */
    void start(Trainer trainer, ResumePoint at, Consumer<String> waiting) throws Exception;

    PendingResult train(Batch batch);

    PendingResult evaluate(Batch batch);

    /** The feed as the loop takes it: as it is, or paced so that every rank takes each step together. */
    BatchStream paced(BatchStream feed, BatchShape emptyBatch, boolean training);

    /** Whether the run stops: asked here, or (in lockstep) agreed by the group. */
    boolean stopped();

    /** Listeners the replicas add to the loop's (each rank's progress, for rank 0's status). */
    List<TrainingListener> listeners();

    /** This process's status of the run, with every rank's when it leads a group. */
    RunStatus status(RunStatus own);

    /** The run has ended, with {@code failure} or null. */
    void close(Throwable failure);
}
