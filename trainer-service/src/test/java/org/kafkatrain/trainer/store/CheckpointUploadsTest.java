package org.kafkatrain.trainer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

class CheckpointUploadsTest {
    @Test
    void theTrainingThreadGoesOnWhileAnUploadRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (CheckpointUploads uploads = new CheckpointUploads("t")) {
            uploads.submit(() -> release.await(10, TimeUnit.SECONDS));
            assertTrue(uploads.busy(), "submit returns while the upload still runs");
            release.countDown();
            uploads.await();
            assertFalse(uploads.busy());
        }
    }

    @Test
    void atMostOneUploadIsInFlightAndTheyRunInOrder() throws Exception {
        AtomicInteger running = new AtomicInteger();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Integer> overlap = new CopyOnWriteArrayList<>();
        try (CheckpointUploads uploads = new CheckpointUploads("t")) {
            for (int i = 0; i < 5; i++) {
                int n = i;
                uploads.submit(() -> {
                    overlap.add(running.incrementAndGet());
                    Thread.sleep(30);
                    order.add(n);
                    running.decrementAndGet();
                    return null;
                });
                // submit waited for the previous one: it is done before this one started
                assertEquals(n, order.size());
            }
        }
        assertEquals(List.of(0, 1, 2, 3, 4), order);
        assertEquals(List.of(1, 1, 1, 1, 1), overlap);
    }

    @Test
    void aFailedUploadSurfacesAtTheNextSubmitAndNotLater() throws Exception {
        try (CheckpointUploads uploads = new CheckpointUploads("t")) {
            uploads.submit(() -> {
                throw new IllegalStateException("S3 did not take epoch-0001.tar");
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> uploads.submit(() -> null));
            assertEquals("S3 did not take epoch-0001.tar", e.getMessage());
            uploads.submit(() -> null); // reported once: the next checkpoint goes ahead
            uploads.await();
        }
    }

    @Test
    void closeWaitsForTheUploadInFlight() throws Exception {
        AtomicInteger stored = new AtomicInteger();
        CheckpointUploads uploads = new CheckpointUploads("t");
        uploads.submit(() -> {
            Thread.sleep(200);
            return stored.incrementAndGet();
        });
        uploads.close();
        assertEquals(1, stored.get(), "a graceful end stores the checkpoint it took");
    }

    @Test
    void closeReportsAFailureOfTheLastUpload() throws Exception {
        CheckpointUploads uploads = new CheckpointUploads("t");
        uploads.submit(() -> {
            throw new IllegalStateException("final checkpoint not stored");
        });
        assertThrows(IllegalStateException.class, uploads::close);
    }
}
