package org.kafkatrain.engine;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Packs images of one shape, one at a time, into mini-batches of a fixed size, independent of how the images were
 * grouped in records. With augmentation on, each image gets torchvision's {@code RandomCrop(size, padding=4)} and
 * {@code RandomHorizontalFlip()} drawn from a generator seeded by the augmentation seed and the image's position in
 * the epoch, so a replayed or resumed epoch sees the same crops and flips.
 */
public final class BatchAssembler {
    private static final int CROP_PADDING = 4;

    private final int batchSize;
    private final int height;
    private final int width;
    private final int channels;
    private final Long augmentationSeed;
    private final Consumer<Batch> downstream;
    private byte[] pixels;
    private long[] labels;
    private int count;
    private long digest;

    /**
     * @param augmentationSeed seed of crops and flips, or null for none
     * @throws IllegalArgumentException when a batch of that shape does not fit one Java array (2^31 bytes), which
     *     an int product would wrap into a small or negative size
     */
    public BatchAssembler(
            int batchSize, int height, int width, int channels, Long augmentationSeed, Consumer<Batch> downstream) {
        long bytes = (long) batchSize * height * width * channels;
        if (batchSize <= 0 || height <= 0 || width <= 0 || channels <= 0 || bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a batch of " + batchSize + " images of " + height + "x" + width + "x"
                    + channels + " is " + bytes + " bytes, more than one batch may hold (2^31): lower batchSize");
        }
        this.batchSize = batchSize;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.augmentationSeed = augmentationSeed;
        this.downstream = downstream;
        reset();
    }

    /**
     * @param position the image's index in the epoch's order
     * @param idHash   the hash of the image's sample id, summed into the batch's digest
     */
    public void add(byte[] image, long label, long position, long idHash) {
        int size = height * width * channels;
        if (image.length != size) {
            throw new IllegalArgumentException(
                    "image of " + image.length + " bytes, batches take " + height + "x" + width + "x" + channels);
        }
        if (augmentationSeed == null) {
            System.arraycopy(image, 0, pixels, count * size, size);
        } else {
            cropAndFlip(image, count * size, new Random(augmentationSeed * 0x9E3779B97F4A7C15L + position));
        }
        labels[count++] = label;
        digest += idHash;
        if (count == batchSize) {
            downstream.accept(new Batch(pixels, labels, height, width, channels, digest));
            reset();
        }
    }

    /** Emits the last, smaller batch of an epoch, as a DataLoader with drop_last=False does. */
    public void flush() {
        if (count > 0) {
            int size = height * width * channels;
            downstream.accept(new Batch(
                    java.util.Arrays.copyOf(pixels, count * size),
                    java.util.Arrays.copyOf(labels, count),
                    height,
                    width,
                    channels,
                    digest));
            reset();
        }
    }

    private void reset() {
        pixels = new byte[batchSize * height * width * channels];
        labels = new long[batchSize];
        count = 0;
        digest = 0;
    }

    private void cropAndFlip(byte[] image, int offset, Random augmentation) {
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
