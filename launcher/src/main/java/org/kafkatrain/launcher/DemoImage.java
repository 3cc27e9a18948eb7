package org.kafkatrain.launcher;

import org.kafkatrain.contracts.ImageFiles;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * An image the demo's model has never seen, for the curl it prints: the first image of a class in Fashion-MNIST's
 * test set (IDX files, gzipped, as Debian ships them), written as PNG.
 */
final class DemoImage {
    private DemoImage() {}

    /** Writes the first test image labeled {@code label} to {@code out}. */
    static Path write(Path dataset, int label, Path out) throws IOException {
        try (DataInputStream images = idx(dataset.resolve("t10k-images-idx3-ubyte.gz"));
                DataInputStream labels = idx(dataset.resolve("t10k-labels-idx1-ubyte.gz"))) {
            int count = images.readInt();
            int rows = images.readInt();
            int cols = images.readInt();
            labels.readInt(); // the label file's count, the same
            byte[] pixels = new byte[rows * cols];
            for (int i = 0; i < count; i++) {
                images.readFully(pixels);
                if (labels.readUnsignedByte() == label) {
                    Files.createDirectories(out.toAbsolutePath().getParent());
                    Files.write(out, ImageFiles.encode(pixels, rows, cols, 1, "png"));
                    return out;
                }
            }
        }
        throw new IOException("no test image with label " + label + " in " + dataset);
    }

    /** An IDX file after its magic number. */
    private static DataInputStream idx(Path file) throws IOException {
        InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
        DataInputStream data = new DataInputStream(in);
        data.readInt();
        return data;
    }
}
