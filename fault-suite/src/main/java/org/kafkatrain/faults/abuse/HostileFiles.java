package org.kafkatrain.faults.abuse;

import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.contracts.proto.ImageBatch;
import org.kafkatrain.contracts.proto.LabeledImage;
import org.kafkatrain.contracts.proto.PixelEncoding;
import org.kafkatrain.engine.TensorData;
import org.kafkatrain.engine.TorchCheckpointFile;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The bytes of the suite's hostile inputs: images whose headers promise gigapixels, envelopes that decode to
 * gigabytes, {@code torch.save} archives that state sizes they do not hold, IDX and CIFAR files whose headers lie.
 * Each is small to send and costs its reader what it states unless the reader checks first.
 */
final class HostileFiles {
    static final long MIB = 1 << 20;

    private HostileFiles() {}

    // ---- images ----

    /** A Fashion-MNIST-sized grayscale PNG: a valid image. */
    static byte[] png(byte[] pixels, int side) {
        return ImageFiles.encode(pixels, side, side, 1, "png");
    }

    /**
     * A PNG of {@code side x side} zeros, written by hand so that the header states the size without the writer
     * holding the pixels: a few tens of kilobytes that decode to {@code side^2} bytes.
     */
    static byte[] zeroPng(int side) {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[side + 1]; // filter byte 0, then the row's zeros
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9), 1 << 16)) {
            for (int y = 0; y < side; y++) {
                z.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13)
                .putInt(side)
                .putInt(side)
                .put((byte) 8) // bit depth
                .put((byte) 0) // grayscale
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(name);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The same image as a BMP: what an upload declared as image/png may really be. */
    static byte[] bmp(byte[] pixels, int side) {
        BufferedImage image = ImageFiles.toImage(pixels, side, side, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "bmp", out)) {
                throw new IllegalStateException("no BMP writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A 32x32 RGB PNG: a valid image of another shape than the dataset's 28x28x1. */
    static byte[] rgbPng(int side) {
        byte[] pixels = new byte[side * side * 3];
        Arrays.fill(pixels, (byte) 90);
        return ImageFiles.encode(pixels, side, side, 3, "png");
    }

    static byte[] random(int bytes, long seed) {
        byte[] out = new byte[bytes];
        new java.util.Random(seed).nextBytes(out);
        return out;
    }

    // ---- image batch envelopes (images.train, images.infer) ----

    /**
     * An envelope of as many all-zero 1024x1024 PNGs as fit in {@code bytes}: each about a kilobyte that decodes to a
     * megabyte, so that about 2 MB of record holds some 2 GB of pixels.
     */
    static byte[] pixelBomb(String dataset, int bytes) {
        byte[] png = zeroPng(1024);
        ImageBatch.Builder batch = ImageBatch.newBuilder().setSchemaVersion(1).setDataset(dataset);
        int size = 0;
        for (int i = 0; i < 4096; i++) {
            LabeledImage image = LabeledImage.newBuilder()
                    .setId("bomb/" + i)
                    .setLabel(i % 10)
                    .setHeight(1024)
                    .setWidth(1024)
                    .setChannels(1)
                    .setEncoding(PixelEncoding.PNG)
                    .setData(com.google.protobuf.ByteString.copyFrom(png))
                    .build();
            int next = size + image.getSerializedSize() + 4;
            if (next > bytes) {
                break;
            }
            batch.addImages(image);
            size = next;
        }
        return batch.build().toByteArray();
    }

    /** How many images an envelope holds. */
    static int images(byte[] envelope) {
        try {
            return ImageBatch.parseFrom(envelope).getImagesCount();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An envelope of one raw image whose header states {@code height x width} over {@code data}. */
    static byte[] rawEnvelope(String dataset, int height, int width, byte[] data) {
        return ImageBatch.newBuilder()
                .setSchemaVersion(1)
                .setDataset(dataset)
                .addImages(LabeledImage.newBuilder()
                        .setId("raw")
                        .setLabel(1)
                        .setHeight(height)
                        .setWidth(width)
                        .setChannels(1)
                        .setEncoding(PixelEncoding.RAW_U8_HWC)
                        .setData(com.google.protobuf.ByteString.copyFrom(data)))
                .build()
                .toByteArray();
    }

    /** An envelope of {@code count} one-pixel raw images: more than a record may hold. */
    static byte[] crowdedEnvelope(String dataset, int count) {
        ImageBatch.Builder batch = ImageBatch.newBuilder().setSchemaVersion(1).setDataset(dataset);
        LabeledImage pixel = LabeledImage.newBuilder()
                .setLabel(1)
                .setHeight(1)
                .setWidth(1)
                .setChannels(1)
                .setEncoding(PixelEncoding.RAW_U8_HWC)
                .setData(com.google.protobuf.ByteString.copyFrom(new byte[1]))
                .build();
        for (int i = 0; i < count; i++) {
            batch.addImages(pixel);
        }
        return batch.build().toByteArray();
    }

    // ---- torch.save archives (initWeights, checkpoints) ----

    /** The engine's own archive of these tensors: a valid file to start from. */
    static byte[] torchFile(Map<String, TensorData> tensors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TorchCheckpointFile.write(tensors, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A float32 tensor of this shape, elements 1, 2, 3, ... */
    static TensorData floats(long... shape) {
        ByteBuffer data = ByteBuffer.allocate((int) Arrays.stream(shape).reduce(1, (x, y) -> x * y) * 4)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; data.hasRemaining(); i++) {
            data.putFloat(i + 1);
        }
        return new TensorData(TensorData.DType.FLOAT32, shape, data.array());
    }

    /** A 512x512 tensor (1 MB) whose storage holds 16 bytes: a reader that pads it makes zeros of nothing. */
    static byte[] shortStorage() {
        byte[] whole = torchFile(Map.of("fc.weight", floats(512, 512)));
        return rezipped(entries(whole), "data/0", data -> Arrays.copyOf(data, 16));
    }

    /** One stored float viewed with stride 0 as {@code 2^20 x 2^20} elements: 4 TiB once expanded. */
    static byte[] strideZeroView() {
        byte[] one = torchFile(Map.of("fc.weight", floats(1)));
        // the engine pickles a shape and a stride of (1,) as (J<1>t(J<1>t then False: put the view's in their place
        byte[] oneTuple = {'(', 'J', 1, 0, 0, 0, 't'};
        ByteArrayOutputStream find = new ByteArrayOutputStream();
        find.writeBytes(oneTuple);
        find.writeBytes(oneTuple);
        find.write(0x89);
        ByteArrayOutputStream put = new ByteArrayOutputStream();
        put.writeBytes(longTuple(1L << 20, 1L << 20));
        put.writeBytes(longTuple(0, 0));
        put.write(0x89);
        return rezipped(entries(one), "data.pkl", pickle -> replace(pickle, find.toByteArray(), put.toByteArray()));
    }

    /** A pickle whose first string states 2^31-1 bytes and holds three. */
    static byte[] pickleLength() {
        byte[] pickle = ByteBuffer.allocate(10)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 0x80)
                .put((byte) 2)
                .put((byte) 'X') // BINUNICODE: a 4-byte length, then the bytes
                .putInt(Integer.MAX_VALUE)
                .put("ab.".getBytes(StandardCharsets.US_ASCII))
                .array();
        return zip(Map.of("data.pkl", pickle, "version", "3\n".getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * A {@code torch.save}-like archive whose pickle inflates from about {@code inflated / 1000} bytes to
     * {@code inflated} bytes of zeros, while its central directory says 100: a deflate bomb.
     */
    static void deflateBomb(Path file, long inflated) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(9);
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            byte[] zeros = new byte[(int) MIB];
            for (long written = 0; written < inflated; written += zeros.length) {
                zip.write(zeros, 0, (int) Math.min(zeros.length, inflated - written));
            }
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("archive/version"));
            zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 46 <= bytes.length; i++) {
            if (b.getInt(i) == 0x02014b50) { // a central directory header: its uncompressed size is at 24
                b.putInt(i + 24, 100);
            }
        }
        Files.write(file, bytes);
    }

    private static byte[] longTuple(long... values) {
        ByteBuffer b = ByteBuffer.allocate(2 + 10 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) '(');
        for (long v : values) {
            b.put((byte) 0x8a).put((byte) 8).putLong(v); // LONG1 of 8 bytes
        }
        b.put((byte) 't');
        return Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] replace(byte[] in, byte[] find, byte[] put) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean found = false;
        for (int i = 0; i < in.length; ) {
            if (!found && Arrays.equals(in, i, Math.min(i + find.length, in.length), find, 0, find.length)) {
                out.writeBytes(put);
                i += find.length;
                found = true;
            } else {
                out.write(in[i++]);
            }
        }
        if (!found) {
            throw new IllegalStateException("the engine's pickle no longer has the shape and stride (1,) expected");
        }
        return out.toByteArray();
    }

    private static Map<String, byte[]> entries(byte[] archive) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName().substring(e.getName().indexOf('/') + 1), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static byte[] rezipped(Map<String, byte[]> entries, String name, UnaryOperator<byte[]> change) {
        Map<String, byte[]> changed = new LinkedHashMap<>(entries);
        changed.put(name, change.apply(entries.get(name)));
        return zip(changed);
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry("archive/" + e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- IDX and CIFAR-10 files (ingest) ----

    /**
     * An IDX pair under {@code dir}: {@code train-labels-idx1-ubyte} stating {@code labelCount} labels and holding
     * {@code labelBytes}, {@code train-images-idx3-ubyte} stating {@code imageCount} images of {@code rows x cols}
     * (magic {@code imageMagic}) and holding {@code imageBytes} of pixels.
     */
    static void idx(
            Path dir,
            int labelCount,
            int labelBytes,
            int imageMagic,
            int imageCount,
            int rows,
            int cols,
            long imageBytes)
            throws IOException {
        Files.createDirectories(dir);
        try (DataOutputStream out =
                new DataOutputStream(Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte")))) {
            out.writeInt(0x801);
            out.writeInt(labelCount);
            out.write(new byte[labelBytes]);
        }
        try (DataOutputStream out =
                new DataOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")))) {
            out.writeInt(imageMagic);
            out.writeInt(imageCount);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(new byte[(int) imageBytes]);
        }
    }

    /** A gzipped IDX pair of {@code count} honest images of {@code side x side} zeros: small on disk, large read. */
    static void idxGzip(Path dir, int count, int side) throws IOException {
        Files.createDirectories(dir);
        try (DataOutputStream out = new DataOutputStream(
                new GZIPOutputStream(Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte.gz")), 1 << 16))) {
            out.writeInt(0x801);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.write(i % 10);
            }
        }
        byte[] image = new byte[side * side];
        try (DataOutputStream out = new DataOutputStream(
                new GZIPOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte.gz")), 1 << 16))) {
            out.writeInt(0x803);
            out.writeInt(count);
            out.writeInt(side);
            out.writeInt(side);
            for (int i = 0; i < count; i++) {
                out.write(image);
            }
        }
    }

    /** {@code data_batch_1.bin} of these bytes. */
    static void cifar(Path dir, byte[] batch) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("data_batch_1.bin"), batch);
    }

    /** CIFAR records (a label byte, then 3072 pixel bytes) all labelled {@code label}. */
    static byte[] cifarRecords(int count, int label) {
        byte[] batch = new byte[count * 3073];
        for (int r = 0; r < count; r++) {
            batch[r * 3073] = (byte) label;
        }
        return batch;
    }

    /** {@code data_batch_1.bin} of {@code bytes} zeros, sparse: it takes no disk and states a large read. */
    static void sparseCifar(Path dir, long bytes) throws IOException {
        Files.createDirectories(dir);
        try (RandomAccessFile file =
                new RandomAccessFile(dir.resolve("data_batch_1.bin").toFile(), "rw")) {
            file.setLength(bytes);
        }
    }
}
