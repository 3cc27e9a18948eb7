package org.kafkatrain.metrics.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.metrics.model.EpochProgress;
import org.kafkatrain.metrics.model.LastSteps;
import org.kafkatrain.metrics.model.StepAggregate;

/**
 * Count-based and per-epoch metrics of a run.
 * <ul>
 *   <li>{@code last_n}: over the last N steps of the split, emitted every {@code every} steps.</li>
 *   <li>{@code epoch}: the whole epoch of a split, emitted once, when the trainer's epoch_end has arrived and the
 *   steps seen add up to the samples it announced (so steps arriving after their epoch_end still count). A step for
 *   an epoch already summarized is late: counted, logged and left out.</li>
 * </ul>
 */
final class RollingMetrics implements Processor<String, TrainingStep, String, TrainingMetrics> {
    static final String LAST_STORE = "last-steps";
    static final String EPOCH_STORE = "epoch-progress";
    private static final Logger LOG = Logger.getLogger(RollingMetrics.class);

    private final int capacity;
    private final int every;
    private ProcessorContext<String, TrainingMetrics> context;
    private KeyValueStore<String, LastSteps> last;
    private KeyValueStore<String, EpochProgress> epochs;

    RollingMetrics(int capacity, int every) {
        this.capacity = capacity;
        this.every = every;
    }

    @Override
    public void init(ProcessorContext<String, TrainingMetrics> context) {
        this.context = context;
        this.last = context.getStateStore(LAST_STORE);
        this.epochs = context.getStateStore(EPOCH_STORE);
    }

    @Override
    public void process(Record<String, TrainingStep> record) {
        TrainingStep step = record.value();
        String epochKey = StreamKeys.runSplitEpoch(step.runId(), step.split(), step.epoch());
        EpochProgress progress = epochs.get(epochKey);
        if (progress == null) {
            progress = EpochProgress.EMPTY;
        }
        if (step.isEpochEnd()) {
            progress = new EpochProgress(progress.sum(), step.samples(), progress.emitted());
        } else {
            if (progress.emitted()) {
                StreamCounters.LATE.incrementAndGet();
                LOG.warnf("late step for the already summarized epoch %s: %s", epochKey, step);
                return;
            }
            progress = new EpochProgress(progress.sum().add(step), progress.expectedSamples(), false);
            rollLast(record, step);
        }
        if (progress.complete()) {
            StepAggregate sum = progress.sum();
            context.forward(record.withKey(step.runId())
                    .withValue(sum.toMetrics(
                            TrainingMetrics.EPOCH,
                            step.runId(),
                            step.split(),
                            step.epoch(),
                            sum.firstTimestamp(),
                            sum.lastTimestamp(),
                            sum.lastTimestamp() - sum.firstTimestamp())));
            progress = new EpochProgress(sum, progress.expectedSamples(), true);
        }
        epochs.put(epochKey, progress);
    }

    private void rollLast(Record<String, TrainingStep> record, TrainingStep step) {
        String key = StreamKeys.runSplit(step.runId(), step.split());
        LastSteps steps = last.get(key);
        steps = (steps == null ? LastSteps.empty() : steps).push(step, capacity);
        last.put(key, steps);
        if (steps.arrived() % every == 0) {
            StepAggregate a = steps.aggregate();
            // images/s over the span from the first to the last step, counting the first step's own duration once.
            double span = a.lastTimestamp() - a.firstTimestamp();
            double perStep = a.steps() > 1 ? span / (a.steps() - 1) : 0;
            context.forward(record.withKey(step.runId())
                    .withValue(a.toMetrics(
                            TrainingMetrics.LAST_N,
                            step.runId(),
                            step.split(),
                            a.epoch(),
                            a.firstTimestamp(),
                            a.lastTimestamp(),
                            span + perStep)));
        }
    }
}
