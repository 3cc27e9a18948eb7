package org.kafkatrain.contracts;

import java.util.Random;

/** Deterministic sample images for codec tests. */
final class TestImages {
    private TestImages() {}

    static Sample sample(String id, int label, int height, int width, int channels, long seed) {
        byte[] pixels = new byte[height * width * channels];
        new Random(seed).nextBytes(pixels);
        return new Sample(id, label, height, width, channels, pixels);
    }

    /** A smooth image, so that lossy JPEG stays close to the source. */
    static Sample gradient(String id, int label, int height, int width, int channels) {
        byte[] pixels = new byte[height * width * channels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    pixels[(y * width + x) * channels + c] = (byte) ((x * 4 + y * 2 + c * 40) & 0xff);
                }
            }
        }
        return new Sample(id, label, height, width, channels, pixels);
    }
}
