package org.kafkatrain.faults.abuse;

import org.kafkatrain.faults.abuse.AbusePipeline.Service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One bad input: its id, what it is, where it goes, which process must survive it ({@code target}; null for a
 * command that runs in a process of its own), and whether the CI subset sends it.
 */
record Case(String id, String input, String where, Service target, boolean ci) {

    /** What came back for a case, how long it took, and why it does not pass (none: it does). */
    record Answer(String text, Duration time, List<String> failures) {
        static Answer of(String text, Duration time, List<String> failures) {
            return new Answer(text, time, List.copyOf(failures));
        }

        static Answer failed(String text, Duration time, String why) {
            return new Answer(text, time, List.of(why));
        }

        boolean passed() {
            return failures.isEmpty();
        }

        Answer with(List<String> more) {
            List<String> all = new ArrayList<>(failures);
            all.addAll(more);
            return new Answer(text, time, all);
        }
    }

    /** Sends one case's input and judges the answer. */
    @FunctionalInterface
    interface Probe {
        Answer send(Abuse abuse) throws Exception;
    }

    /**
     * Sends several cases' inputs at once (records that one run reads) and judges each; answers in the order of
     * {@code chosen}, the step's cases that this suite runs.
     */
    @FunctionalInterface
    interface BatchProbe {
        List<Answer> send(Abuse abuse, List<Case> chosen) throws Exception;
    }

    /**
     * What the suite runs as one: a case, or cases whose inputs go out together; after it the suite checks the
     * processes, the target's memory and its next good request once.
     */
    record Step(List<Case> cases, BatchProbe probe) {
        static Step of(Case c, Probe probe) {
            return new Step(List.of(c), (abuse, chosen) -> List.of(probe.send(abuse)));
        }

        Service target() {
            return cases.get(0).target();
        }

        /** The step with only the cases {@code keep} admits (empty when it admits none). */
        Step select(java.util.function.Predicate<Case> keep) {
            return new Step(cases.stream().filter(keep).toList(), probe);
        }
    }
}
