package org.kafkatrain.store;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Retries one step of storing a checkpoint: at least {@code attempts} tries with pauses from {@code firstPause}
 * doubling up to {@link #LONGEST_PAUSE}, and then on until {@code patience} has passed. A checkpoint whose loss
 * would lose training is worth minutes of waiting for S3 or for disk space; each failed try is reported, so the run's
 * status shows the wait from its first failure.
 */
public final class PatientRetry {
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    /** A step that may fail with an {@link IOException} and be tried again from scratch. */
    @FunctionalInterface
    public interface Step {
        void run() throws IOException;
    }

    private PatientRetry() {}

    /**
     * @param waitingFor what the run waits for, as the status says it ("S3 to store runs/r/epoch-0001.tar")
     * @throws IOException when the step still fails after {@code attempts} tries and {@code patience}
     */
    public static void run(
            String waitingFor, int attempts, Duration firstPause, Duration patience, Consumer<String> onWait, Step step)
            throws IOException {
        long started = System.nanoTime();
        long deadline = started + patience.toNanos();
        Duration pause = firstPause;
        for (int attempt = 1; ; attempt++) {
            try {
                step.run();
                return;
            } catch (IOException e) {
                if (attempt >= attempts && deadline - System.nanoTime() <= 0) {
                    throw new IOException(
                            "gave up waiting for " + waitingFor + " after " + attempt + " attempts"
                                    + (patience.isZero() ? "" : " and " + patience + " of patience") + ": "
                                    + e.getMessage(),
                            e);
                }
                onWait.accept(String.format(
                        "waiting for %s (attempt %d failed, %d s so far, retrying in %s): %s",
                        waitingFor, attempt, (System.nanoTime() - started) / 1_000_000_000L, pause, e.getMessage()));
                sleep(pause, waitingFor);
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration pause, String what) throws IOException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("waiting for " + what + " interrupted", ie);
        }
    }
}
