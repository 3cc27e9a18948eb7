package org.kafkatrain.metrics;

import org.kafkatrain.contracts.TrainingStep;

import java.util.ArrayList;
import java.util.List;

/** The last N train steps of a run (or eval batches of its current epoch), oldest first, and how many arrived in all. */
public record LastSteps(List<TrainingStep> steps, long arrived) {
    static final LastSteps EMPTY = new LastSteps(List.of(), 0);

    LastSteps push(TrainingStep step, int capacity) {
        List<TrainingStep> next = new ArrayList<>(steps.size() + 1);
        next.addAll(steps.size() >= capacity ? steps.subList(steps.size() - capacity + 1, steps.size()) : steps);
        next.add(step);
        return new LastSteps(next, arrived + 1);
    }

    StepAggregate aggregate() {
        StepAggregate a = StepAggregate.EMPTY;
        for (TrainingStep s : steps) {
            a = a.add(s);
        }
        return a;
    }
}
