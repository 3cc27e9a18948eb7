package org.kafkatrain.engine;

import org.bytedeco.pytorch.Tensor;

/** What a step does between its backward and the optimizer step: nothing in one process, an all-reduce in a group. */
@FunctionalInterface
public interface StepReduction {
    /**
     * @param samples this process's samples in the step
     * @param stats   this process's mean loss, top-1 and top-k hits, a float64 tensor on the device
     * @return the step's result as the optimizer and the listeners are to see it
     */
    PendingResult reduce(int samples, Tensor stats);

    StepReduction LOCAL = PendingResult::onDevice;
}
