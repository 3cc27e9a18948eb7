package org.kafkatrain.ingest;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Work on chunks in order, done on a pool up to {@code ahead} chunks in advance of the one being consumed: the
 * consumer (the thread that packs and sends records) takes chunk k while the pool works on k+1..k+ahead, and the
 * memory held is at most {@code ahead} chunks' results.
 */
final class ChunkDecoder {
    private final ExecutorService pool;
    private final int ahead;

    ChunkDecoder(ExecutorService pool, int ahead) {
        this.pool = pool;
        this.ahead = ahead;
    }

    /** Each chunk's items mapped by {@code work}, chunk by chunk in order. */
    <T, R> Iterator<List<R>> decode(List<List<T>> chunks, Function<T, R> work) {
        Deque<Future<List<R>>> inFlight = new ArrayDeque<>();
        Iterator<List<T>> next = chunks.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                fill();
                return !inFlight.isEmpty();
            }

            @Override
            public List<R> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    return inFlight.removeFirst().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while decoding", e);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r
                            ? r
                            : new IllegalStateException(e.getCause().getMessage(), e.getCause());
                }
            }

            private void fill() {
                while (inFlight.size() < ahead && next.hasNext()) {
                    List<T> chunk = next.next();
                    inFlight.addLast(pool.submit(() -> chunk.stream().map(work).toList()));
                }
            }
        };
    }
}
