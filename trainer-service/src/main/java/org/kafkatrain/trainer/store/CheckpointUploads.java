package org.kafkatrain.trainer.store;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A run's checkpoint uploads, on a thread of their own so that training goes on while a snapshot is serialized and
 * sent to S3. At most one is in flight: the next one waits for it, which bounds the memory to one snapshot and keeps
 * the checkpoints (and {@code latest.json}) in step order. What failed an upload surfaces on the training thread,
 * at the next {@link #submit} or {@link #await}, so a run never ends as if its checkpoint were stored.
 * <p>
 * Only the training thread calls in here.
 */
public final class CheckpointUploads implements AutoCloseable {
    private final ExecutorService thread;
    private Future<?> inFlight;

    public CheckpointUploads(String runId) {
        thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "checkpoint-upload-" + runId));
    }

    /** Starts {@code upload} once the one in flight is done; throws what that one failed with, if it did. */
    public void submit(Callable<?> upload) throws InterruptedException {
        await();
        inFlight = thread.submit(upload);
    }

    /**
     * Waits for the upload in flight, if any.
     *
     * @throws IllegalStateException (or the upload's own unchecked exception) when it failed
     */
    public void await() throws InterruptedException {
        Future<?> pending = inFlight;
        inFlight = null;
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Whether an upload is still running. */
    public boolean busy() {
        return inFlight != null && !inFlight.isDone();
    }

    /** Waits for the upload in flight (a graceful end stores its checkpoint), then lets the thread go. */
    @Override
    public void close() throws InterruptedException {
        try {
            await();
        } finally {
            thread.shutdown();
        }
    }
}
