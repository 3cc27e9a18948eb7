package org.kafkatrain.contracts;

import java.util.Objects;

/**
 * One labeled image as the trainer sees it: raw uint8 pixels, row-major, channels last (HWC).
 *
 * @param id       stable sample id, for tracing and dead letters
 * @param label    class index into the dataset manifest's class list, or {@link #NO_LABEL} for an image to predict
 *                 that came without one
 * @param pixels   exactly {@code height * width * channels} bytes
 */
public record Sample(String id, int label, int height, int width, int channels, byte[] pixels) {
    public static final int NO_LABEL = -1;

    public Sample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != (long) height * width * channels) {
            throw new IllegalArgumentException(
                    "pixels: " + pixels.length + " bytes for " + height + "x" + width + "x" + channels);
        }
    }

    public int pixelCount() {
        return height * width * channels;
    }
}
