package org.kafkatrain.metrics.rest;

import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import org.kafkatrain.metrics.config.MetricsConfig;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The places on the live feed ({@code metrics.sse.max-clients}): a client streams only while it holds one, and its
 * place is free again when its stream ends, fails or is cancelled (the client went away).
 */
@ApplicationScoped
class LiveFeedClients {
    private final int max;
    private final Semaphore places;

    LiveFeedClients(MetricsConfig config) {
        this.max = config.sse().maxClients();
        this.places = new Semaphore(max);
    }

    /** {@code stream}, holding a place for as long as it runs; {@link Full} when every place is taken. */
    <T> Multi<T> admit(Multi<T> stream) {
        if (!places.tryAcquire()) {
            throw new Full(max);
        }
        AtomicBoolean left = new AtomicBoolean(); // one place per admission, however often its end is signalled
        return stream.onTermination().invoke(() -> {
            if (left.compareAndSet(false, true)) {
                places.release();
            }
        });
    }

    /** Every place on the live feed is taken. */
    static final class Full extends RuntimeException {
        Full(int max) {
            super("the live feed has its " + max + " live clients (metrics.sse.max-clients); try again later");
        }
    }
}
