package org.kafkatrain.ingest.source;

import org.kafkatrain.contracts.RawImage;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * MNIST-style IDX files ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]} and the
 * {@code t10k-} pair as the val split), as Debian's dataset-fashion-mnist installs them.
 */
public final class IdxDataset implements DatasetSource {
    static final List<String> FASHION_MNIST = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private final Path root;
    private final List<String> classes;

    public IdxDataset(Path root) {
        this.root = root;
        this.classes = root.toString().toLowerCase().contains("fashion")
                ? FASHION_MNIST
                : IntStream.range(0, 10).mapToObj(Integer::toString).toList();
    }

    public static boolean looksLike(Path root) {
        return find(root, "train-images-idx3-ubyte") != null;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public boolean hasSplits() {
        return find(root, "t10k-images-idx3-ubyte") != null;
    }

    @Override
    public Stream<SourceImage> images() {
        try {
            List<SourceImage> all = new ArrayList<>(split("train", "train"));
            if (hasSplits()) {
                all.addAll(split("t10k", "val"));
            }
            return all.stream();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read IDX files in " + root + ": " + e.getMessage(), e);
        }
    }

    /** IDX datasets are small images (MNIST's 28 px); the decoder's own bound for any image (DecoderLimits). */
    private static final int MAX_SIDE = 1024;

    private List<SourceImage> split(String prefix, String split) throws IOException {
        Path imagesFile = find(root, prefix + "-images-idx3-ubyte");
        Path labelsFile = find(root, prefix + "-labels-idx1-ubyte");
        if (imagesFile == null || labelsFile == null) {
            throw new IOException("missing " + prefix + "-images-idx3-ubyte or " + prefix + "-labels-idx1-ubyte");
        }
        byte[] labels;
        try (DataInputStream in = open(labelsFile)) {
            if (in.readInt() != LABELS_MAGIC) {
                throw new IOException(labelsFile + " is not an IDX label file");
            }
            int declared = in.readInt();
            if (declared < 0) {
                throw new IOException(labelsFile + " declares " + declared + " labels");
            }
            // read as they come, not allocated from the header: a header may claim 2^31 labels in a 9-byte file
            labels = in.readNBytes(declared);
            if (labels.length != declared) {
                throw new IOException(labelsFile + " declares " + declared + " labels and holds " + labels.length);
            }
        }
        List<SourceImage> images = new ArrayList<>(labels.length);
        try (DataInputStream in = open(imagesFile)) {
            if (in.readInt() != IMAGES_MAGIC) {
                throw new IOException(imagesFile + " is not an IDX image file");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count != labels.length) {
                throw new IOException(imagesFile + " holds " + count + " images for " + labels.length + " labels");
            }
            if (rows <= 0 || cols <= 0 || rows > MAX_SIDE || cols > MAX_SIDE) {
                throw new IOException(
                        imagesFile + " declares " + rows + "x" + cols + " images; at most " + MAX_SIDE + " px a side");
            }
            for (int i = 0; i < count; i++) {
                byte[] pixels = new byte[rows * cols];
                in.readFully(pixels);
                RawImage image = new RawImage(pixels, rows, cols, 1);
                images.add(new SourceImage(String.format("%s/%05d", split, i), labels[i] & 0xff, split, () -> image));
            }
        }
        return images;
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in);
    }

    private static Path find(Path root, String base) {
        for (String name : new String[] {base, base + ".gz"}) {
            if (Files.isRegularFile(root.resolve(name))) {
                return root.resolve(name);
            }
        }
        return null;
    }
}
