package org.kafkatrain.trainer.data;

/** Images per batch and the run's image shape (every sample must have it). */
public record BatchShape(int batchSize, int height, int width, int channels) {
    public BatchShape withBatchSize(int size) {
        return new BatchShape(size, height, width, channels);
    }
}
