package org.kafkatrain.trainer.replica;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.runs.ReplicaStatus;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.engine.ReplicaGroup;
import org.kafkatrain.trainer.loop.BatchEvent;
import org.kafkatrain.trainer.loop.TrainingListener;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every rank's status under the run on rank 0: each rank writes its own to the group's store about once a second,
 * from the training thread, and rank 0 reads the others' at the same pace, so its REST status shows all of them
 * without the request thread touching the store.
 */
final class ReplicaReports implements TrainingListener {
    private static final Logger LOG = Logger.getLogger(ReplicaReports.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long EVERY_MS = 1000;

    private final ReplicaGroup group;
    private final ReplicaLockstep lockstep;
    private final Supplier<RunStatus> own;
    private volatile List<ReplicaStatus> all = List.of();
    private long lastMs;

    ReplicaReports(ReplicaGroup group, ReplicaLockstep lockstep, Supplier<RunStatus> own) {
        this.group = group;
        this.lockstep = lockstep;
        this.own = own;
    }

    /** The ranks as last heard, rank 0 first; empty on the other ranks. */
    List<ReplicaStatus> current() {
        return all;
    }

    @Override
    public void onTrainingBatch(BatchEvent event) {
        report(false);
    }

    @Override
    public void onValidationBatch(BatchEvent event) {
        report(false);
    }

    /** Writes this rank's status now ({@code force}) or when a second has passed; rank 0 then reads the others'. */
    void report(boolean force) {
        long now = System.currentTimeMillis();
        if (!force && now - lastMs < EVERY_MS) {
            return;
        }
        lastMs = now;
        RunStatus s = own.get();
        ReplicaStatus mine = new ReplicaStatus(
                group.rank(), s.state(), s.epoch(), s.step(), lockstep.localSamples(), s.imagesPerSec(), now);
        try {
            group.put("status/" + group.rank(), JSON.writeValueAsString(mine));
            if (group.leader()) {
                List<ReplicaStatus> ranks = new ArrayList<>(List.of(mine));
                for (int r = 1; r < group.size(); r++) {
                    var theirs = group.get("status/" + r);
                    if (theirs.isPresent()) {
                        ranks.add(JSON.readValue(theirs.get(), ReplicaStatus.class));
                    }
                }
                all = List.copyOf(ranks);
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.debugf(e, "rank %d: status report failed", group.rank());
        }
    }
}
