package org.kafkatrain.trainer.run;

import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.engine.ComputeOptions;
import org.kafkatrain.engine.Hyperparameters;

/** The engine's view of a run's spec: what shapes its optimisation, and how its steps are computed. */
final class EngineSettings {
    private EngineSettings() {}

    static Hyperparameters hyperparameters(RunSpec spec, int imageSize) {
        RunSpec.Optimization o = spec.optimization();
        RunSpec.Data d = spec.data();
        return new Hyperparameters(
                o.lr(),
                o.beta1(),
                o.beta2(),
                o.eps(),
                o.weightDecay(),
                o.stepSize(),
                o.gamma(),
                o.batchSize(),
                imageSize,
                d.mean(),
                d.std(),
                d.seed(),
                d.augment());
    }

    static ComputeOptions compute(RunSpec spec) {
        return new ComputeOptions(
                spec.compute().precision(),
                spec.compute().channelsLast(),
                spec.compute().adam());
    }
}
