package org.kafkatrain.trainer.kafka;

import org.apache.kafka.common.errors.RetriableException;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Waits out a broker that is away: a call that fails with one of Kafka's retriable errors (a metadata or offsets
 * request timing out while the broker restarts) is tried again, pausing up to 5 s between tries, until
 * {@code patience} has passed. A broker back within minutes costs the run a pause, not its life.
 */
public final class KafkaPatience {
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    private final Duration patience;
    private final Consumer<String> onWait;

    /** @param onWait hears of each wait (the run shows it in its status) */
    public KafkaPatience(Duration patience, Consumer<String> onWait) {
        this.patience = patience;
        this.onWait = onWait;
    }

    public <T> T call(String what, Supplier<T> call) {
        long started = System.nanoTime();
        long deadline = started + patience.toNanos();
        Duration pause = Duration.ofMillis(200);
        boolean waited = false;
        while (true) {
            try {
                T result = call.get();
                if (waited) {
                    onWait.accept(String.format(
                            "Kafka answered again after %d s", (System.nanoTime() - started) / 1_000_000_000L));
                }
                return result;
            } catch (RetriableException e) {
                waited = true;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(
                            "Kafka did not answer " + what + " within " + patience + ": " + e.getMessage(), e);
                }
                onWait.accept(String.format(
                        "waiting for Kafka: %s (%d s so far, patience %s): %s",
                        what, (System.nanoTime() - started) / 1_000_000_000L, patience, e.getMessage()));
                try {
                    Thread.sleep(Math.min(pause.toMillis(), Math.max(1, left / 1_000_000)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", ie);
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }
}
