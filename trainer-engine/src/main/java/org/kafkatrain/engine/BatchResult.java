package org.kafkatrain.engine;

/**
 * What one training step or evaluation batch measured.
 *
 * @param loss     mean cross-entropy over the batch
 * @param correct1 samples whose label is the top prediction
 * @param correct5 samples whose label is among the top five (top-k with k = min(5, classes))
 */
public record BatchResult(int samples, double loss, long correct1, long correct5) {}
