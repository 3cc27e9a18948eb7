package org.kafkatrain.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST as Debian's dataset-fashion-mnist installs it, read straight from the IDX files: real images for
 * tests, and an oracle independent of the product's own readers.
 */
public final class FashionMnist {
    public static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int SIDE = 28;
    public static final int CLASSES = 10;

    private final byte[] images;
    private final byte[] labels;

    private FashionMnist(byte[] images, byte[] labels) {
        this.images = images;
        this.labels = labels;
    }

    /** @param split "train" or "t10k" */
    public static FashionMnist load(String split) throws IOException {
        if (!Files.isDirectory(DIR)) {
            throw new IllegalStateException(DIR + " missing: apt-get install dataset-fashion-mnist (.ci/run does)");
        }
        ByteBuffer images = ByteBuffer.wrap(gunzip(DIR.resolve(split + "-images-idx3-ubyte.gz")));
        ByteBuffer labels = ByteBuffer.wrap(gunzip(DIR.resolve(split + "-labels-idx1-ubyte.gz")));
        // IDX headers: magic, count (labels); magic, count, rows, cols (images); big-endian ints.
        images.position(16);
        labels.position(8);
        byte[] pixels = new byte[images.remaining()];
        images.get(pixels);
        byte[] classes = new byte[labels.remaining()];
        labels.get(classes);
        return new FashionMnist(pixels, classes);
    }

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** 784 bytes, row-major grayscale. */
    public byte[] pixels(int i) {
        byte[] out = new byte[SIDE * SIDE];
        System.arraycopy(images, i * SIDE * SIDE, out, 0, out.length);
        return out;
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return in.readAllBytes();
        }
    }
}
