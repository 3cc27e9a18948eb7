package org.kafkatrain.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import org.kafkatrain.contracts.runs.RunState;
import org.kafkatrain.contracts.runs.RunStatus;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Follows a run to its end with a progress line: redrawn in place on a terminal, one line per epoch (and every
 * half minute) in a log.
 */
final class RunFollower {
    private static final TypeReference<RunStatus> STATUS = new TypeReference<>() {};
    private static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final ServiceClient trainer;
    private final PrintStream out;
    private final boolean terminal;

    RunFollower(ServiceClient trainer, PrintStream out, boolean terminal) {
        this.trainer = trainer;
        this.out = out;
        this.terminal = terminal;
    }

    /** Polls until the run has ended; returns its last status. */
    RunStatus follow(String runId) throws InterruptedException {
        long lastLogged = 0;
        int lastEpoch = -1;
        while (true) {
            RunStatus s = trainer.get("/runs/" + runId, STATUS)
                    .orElseThrow(() -> new LauncherException(
                            "trainer-service does not know run " + runId + " any more (restarted?)"));
            String line = ProgressLine.of(s);
            boolean ended = s.state().ended();
            if (terminal) {
                out.print("\r" + line + "   ");
                if (ended) {
                    out.println();
                }
            } else if (ended || s.epoch() != lastEpoch || System.nanoTime() - lastLogged > LOG_EVERY.toNanos()) {
                out.println(line);
                lastLogged = System.nanoTime();
                lastEpoch = s.epoch();
            }
            out.flush();
            if (ended) {
                return s;
            }
            Thread.sleep(1000);
        }
    }

    /** Exit code for a finished follow, with the one line a user reads last. */
    static int report(RunStatus s, PrintStream err) {
        if (s.state() == RunState.FAILED) {
            err.println("kafka-train: run " + s.runId() + " FAILED: " + s.message());
            return 1;
        }
        err.println("kafka-train: run " + s.runId() + " " + s.state() + "; checkpoint " + s.lastCheckpoint()
                + (s.message() == null || s.message().isEmpty() ? "" : " (" + s.message() + ")"));
        return 0;
    }
}
