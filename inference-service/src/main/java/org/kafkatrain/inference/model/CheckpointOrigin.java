package org.kafkatrain.inference.model;

import org.kafkatrain.contracts.CheckpointEvent;
import org.kafkatrain.contracts.Ids;
import org.kafkatrain.store.CheckpointStore;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which objects a run's model may be loaded from: the run's own, directly under {@code runs/<runId>/}. A checkpoint
 * event is anyone's who can write to {@code training.checkpoints}; without this it could name another run's object
 * (with that object's true hash) and have it served under this run's name.
 */
final class CheckpointOrigin {
    /** One object name, no path: what the trainer writes ({@code epoch-0003.tar}, {@code epoch-0003-step-...}). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private CheckpointOrigin() {}

    /** Why {@code object} may not be loaded as {@code runId}'s model; empty when it may. */
    static Optional<String> refusal(String runId, String object) {
        if (!Ids.valid(runId)) {
            return Optional.of("'" + runId + "' is not a run id");
        }
        String prefix = CheckpointStore.runPrefix(runId);
        if (object == null
                || !object.startsWith(prefix)
                || !NAME.matcher(object.substring(prefix.length())).matches()) {
            return Optional.of(object + " is not an object of run " + runId + " (" + prefix + "<name>)");
        }
        return Optional.empty();
    }

    /** Why an announced checkpoint may not be loaded: another run's object, or no hash to check it against. */
    static Optional<String> refusal(CheckpointEvent event) {
        Optional<String> origin = refusal(event.runId(), event.object());
        if (origin.isPresent()) {
            return origin;
        }
        if (event.sha256() == null || !SHA256.matcher(event.sha256()).matches()) {
            return Optional.of("it announces no SHA-256 of " + event.object() + " to check the download against");
        }
        return Optional.empty();
    }
}
