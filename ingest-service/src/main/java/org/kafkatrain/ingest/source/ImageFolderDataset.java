package org.kafkatrain.ingest.source;

import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.RawImage;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * torchvision's ImageFolder layout: {@code root/<class>/<image>}, classes numbered in sorted name order; or
 * {@code root/train/<class>/...} and {@code root/val/<class>/...} with the classes of the train folder.
 */
public final class ImageFolderDataset implements DatasetSource {
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp");

    private final Path root;
    private final boolean split;
    private final List<String> classes;
    private final int maxSide;
    private final List<String> unusable = new ArrayList<>();

    public ImageFolderDataset(Path root, int maxSide) throws IOException {
        this.root = root;
        this.maxSide = maxSide;
        this.split = Files.isDirectory(root.resolve("train"));
        this.classes = classFolders(split ? root.resolve("train") : root);
        if (classes.isEmpty()) {
            throw new IOException("no class folders under " + (split ? root.resolve("train") : root));
        }
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public boolean hasSplits() {
        return split;
    }

    @Override
    public List<String> unusable() {
        return unusable;
    }

    @Override
    public Stream<SourceImage> images() {
        List<SourceImage> out = new ArrayList<>();
        try {
            if (split) {
                collect(root.resolve("train"), "train", out);
                if (Files.isDirectory(root.resolve("val"))) {
                    collect(root.resolve("val"), "val", out);
                }
            } else {
                collect(root, null, out);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return out.stream();
    }

    private void collect(Path dir, String splitName, List<SourceImage> out) throws IOException {
        for (int label = 0; label < classes.size(); label++) {
            Path classDir = dir.resolve(classes.get(label));
            if (!Files.isDirectory(classDir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(classDir)) {
                files = list.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                if (!EXTENSIONS.contains(ext)) {
                    unusable.add(root.relativize(file) + ": not an image file (." + ext + ")");
                    continue;
                }
                String id = root.relativize(file).toString();
                out.add(new SourceImage(id, label, splitName, () -> load(file)));
            }
        }
    }

    private RawImage load(Path file) throws UnreadableImageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UnreadableImageException("cannot read: " + e.getMessage());
        }
        if (bytes.length == 0) {
            throw new UnreadableImageException("empty file (0 bytes)");
        }
        try {
            BufferedImage image = ImageFiles.read(bytes, maxSide);
            int channels = ImageFiles.channelsOf(image);
            return new RawImage(ImageFiles.toPixels(image, channels), image.getHeight(), image.getWidth(), channels);
        } catch (InvalidRecordException e) {
            throw new UnreadableImageException(e.getMessage());
        }
    }

    private static List<String> classFolders(Path dir) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isDirectory)
                    .forEach(p -> names.add(p.getFileName().toString()));
        }
        return List.copyOf(names);
    }
}
