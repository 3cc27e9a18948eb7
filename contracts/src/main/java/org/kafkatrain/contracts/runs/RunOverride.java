package org.kafkatrain.contracts.runs;

import java.util.List;

/**
 * A resume that changed a run's settings on purpose ({@code train --override}), as run.json's {@code overrides}
 * list keeps it: when (epoch millis) and what ({@code "stepSize 6 -> 4"}).
 */
public record RunOverride(long at, List<String> changes) {
    public RunOverride {
        changes = List.copyOf(changes);
    }
}
