package org.kafkatrain.engine;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Packs images of one shape, one at a time, into mini-batches of a fixed size, independent of how the images were
 * grouped in records. With augmentation on, each image gets torchvision's {@code RandomCrop(size, padding=4)} and
 * {@code RandomHorizontalFlip()} drawn from a seeded generator, so a replayed epoch sees the same crops and flips.
 */
public final class BatchAssembler {
    private static final int CROP_PADDING = 4;

    private final int batchSize;
    private final int height;
    private final int width;
    private final int channels;
    private final Random augmentation;
    private final Consumer<Batch> downstream;
    private byte[] pixels;
    private long[] labels;
    private int count;

    /** @param augmentation a seeded generator for crops and flips, or null for none */
    public BatchAssembler(int batchSize, int height, int width, int channels, Random augmentation, Consumer<Batch> downstream) {
        this.batchSize = batchSize;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.augmentation = augmentation;
        this.downstream = downstream;
        reset();
    }

    public void add(byte[] image, long label) {
        int size = height * width * channels;
        if (image.length != size) {
            throw new IllegalArgumentException("image of " + image.length + " bytes, batches take " + height + "x" + width + "x" + channels);
        }
        if (augmentation == null) {
            System.arraycopy(image, 0, pixels, count * size, size);
        } else {
            cropAndFlip(image, count * size);
        }
        labels[count++] = label;
        if (count == batchSize) {
            downstream.accept(new Batch(pixels, labels, height, width, channels));
            reset();
        }
    }

    /** Emits the last, smaller batch of an epoch, as a DataLoader with drop_last=False does. */
    public void flush() {
        if (count > 0) {
            int size = height * width * channels;
            downstream.accept(new Batch(java.util.Arrays.copyOf(pixels, count * size), java.util.Arrays.copyOf(labels, count), height, width, channels));
            reset();
        }
    }

    private void reset() {
        pixels = new byte[batchSize * height * width * channels];
        labels = new long[batchSize];
        count = 0;
    }

    private void cropAndFlip(byte[] image, int offset) {
        int dy = augmentation.nextInt(2 * CROP_PADDING + 1) - CROP_PADDING;
        int dx = augmentation.nextInt(2 * CROP_PADDING + 1) - CROP_PADDING;
        boolean flip = augmentation.nextBoolean();
        for (int y = 0; y < height; y++) {
            int sy = y + dy;
            for (int x = 0; x < width; x++) {
                int sx = (flip ? width - 1 - x : x) + dx;
                int out = offset + (y * width + x) * channels;
                boolean inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                for (int c = 0; c < channels; c++) {
                    // Zero padding, as RandomCrop's default fill.
                    pixels[out + c] = inside ? image[(sy * width + sx) * channels + c] : 0;
                }
            }
        }
    }
}
