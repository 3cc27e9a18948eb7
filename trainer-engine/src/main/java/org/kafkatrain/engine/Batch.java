package org.kafkatrain.engine;

/**
 * A mini-batch as the data path hands it to the model: uint8 pixels, NHWC, and class indexes. Normalization and the
 * layout change to NCHW happen on the training device, where they are cheapest.
 *
 * @param sampleDigest sum of the batch's sample-id hashes (contracts' {@code SampleDigest}), for audits; 0 when the
 *                     samples carry no ids
 */
public record Batch(byte[] pixels, long[] labels, int height, int width, int channels, long sampleDigest) {
    public Batch {
        if (pixels.length != (long) labels.length * height * width * channels) {
            throw new IllegalArgumentException(
                    "pixels for " + labels.length + "x" + height + "x" + width + "x" + channels + ": " + pixels.length);
        }
    }

    public int size() {
        return labels.length;
    }
}
