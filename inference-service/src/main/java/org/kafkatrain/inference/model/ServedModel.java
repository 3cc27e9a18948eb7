package org.kafkatrain.inference.model;

import org.kafkatrain.engine.Predictor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded checkpoint and the requests using it. The registry holds one reference while the model is current and
 * each batch in flight holds one more; a swapped-out model is freed when the last of them lets go, so a hot swap
 * never frees weights under a running forward pass.
 */
public final class ServedModel {
    private final ModelInfo info;
    private final Predictor predictor;
    private final AtomicInteger references = new AtomicInteger(1);
    /** When a request last took it (System.nanoTime): the registry unloads the least recently used first. */
    private volatile long lastUsed = System.nanoTime();

    public ServedModel(ModelInfo info, Predictor predictor) {
        this.info = info;
        this.predictor = predictor;
    }

    public ModelInfo info() {
        return info;
    }

    Predictor predictor() {
        return predictor;
    }

    /** Takes a reference for a request; false once the model has been freed (the caller looks up the current one). */
    boolean acquire() {
        for (int n = references.get(); n > 0; n = references.get()) {
            if (references.compareAndSet(n, n + 1)) {
                lastUsed = System.nanoTime();
                return true;
            }
        }
        return false;
    }

    long lastUsed() {
        return lastUsed;
    }

    /** Lets a reference go; the last one frees the weights. */
    void release() {
        if (references.decrementAndGet() == 0) {
            predictor.close();
        }
    }
}
