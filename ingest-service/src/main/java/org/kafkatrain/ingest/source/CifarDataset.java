package org.kafkatrain.ingest.source;

import org.kafkatrain.contracts.RawImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CIFAR-10 binary batches ({@code data_batch_1.bin} .. {@code data_batch_5.bin}, {@code test_batch.bin} as val):
 * each record is a label byte and 3072 bytes of 32x32 pixels, channel-planar (all R, then G, then B).
 */
public final class CifarDataset implements DatasetSource {
    private static final int SIDE = 32;
    private static final int RECORD = 1 + 3 * SIDE * SIDE;
    private final Path root;
    private final List<String> classes;

    public CifarDataset(Path root) throws IOException {
        this.root = root;
        Path meta = root.resolve("batches.meta.txt");
        this.classes = Files.isRegularFile(meta)
                ? Files.readAllLines(meta).stream()
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList()
                : List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    }

    public static boolean looksLike(Path root) {
        return Files.isRegularFile(root.resolve("data_batch_1.bin"));
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public boolean hasSplits() {
        return Files.isRegularFile(root.resolve("test_batch.bin"));
    }

    @Override
    public Stream<SourceImage> images() {
        List<SourceImage> all = new ArrayList<>();
        try {
            for (int b = 1; b <= 5; b++) {
                Path file = root.resolve("data_batch_" + b + ".bin");
                if (Files.isRegularFile(file)) {
                    read(file, "train", all);
                }
            }
            if (hasSplits()) {
                read(root.resolve("test_batch.bin"), "val", all);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read CIFAR batches in " + root + ": " + e.getMessage(), e);
        }
        return all.stream();
    }

    private void read(Path file, String split, List<SourceImage> out) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % RECORD != 0) {
            throw new IOException(file + " is " + bytes.length + " bytes, not a multiple of " + RECORD);
        }
        String name = file.getFileName().toString().replace(".bin", "");
        for (int r = 0; r < bytes.length / RECORD; r++) {
            int base = r * RECORD;
            int label = bytes[base] & 0xff;
            byte[] hwc = new byte[3 * SIDE * SIDE];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < SIDE * SIDE; i++) {
                    hwc[i * 3 + c] = bytes[base + 1 + c * SIDE * SIDE + i];
                }
            }
            RawImage image = new RawImage(hwc, SIDE, SIDE, 3);
            out.add(new SourceImage(String.format("%s/%s/%05d", split, name, r), label, split, () -> image));
        }
    }
}
