package org.kafkatrain.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The file format of {@code torch.save} (PyTorch's zip serialization): a zip whose entries share one top folder,
 * holding {@code data.pkl} (the pickled object), one uncompressed record per tensor storage under {@code data/},
 * {@code byteorder} and {@code version}. Python opens what this writes with {@code torch.load(path)}.
 */
public final class TorchCheckpointFile {
    private static final String ARCHIVE = "archive/";

    private TorchCheckpointFile() {}

    public static void write(Map<String, ?> checkpoint, OutputStream out) throws IOException {
        List<TensorData> storages = new ArrayList<>();
        byte[] pickle = TorchPickle.write(checkpoint, storages);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setMethod(ZipOutputStream.STORED);
            stored(zip, "data.pkl", pickle);
            stored(zip, "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < storages.size(); i++) {
                stored(zip, "data/" + i, storages.get(i).data());
            }
            stored(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** {@link #read(InputStream, TorchFileLimits)} within {@link TorchFileLimits#DEFAULT}. */
    public static Map<String, Object> read(InputStream in) throws IOException {
        return read(in, TorchFileLimits.DEFAULT);
    }

    /**
     * Reads a checkpoint written by {@link #write} or by Python's {@code torch.save}. Python's zip writer follows
     * each stored record with a data descriptor, which a streaming zip reader cannot handle; so the archive is read
     * through its central directory, from a temporary file.
     *
     * @param limits what the file may make the reader allocate, as it may come from anyone
     * @throws IOException if the file is not such an archive, or states or holds more than {@code limits} allow
     */
    /** A state dict's pickle, ResNet-152's with Adam's state, is a few hundred KB. */
    static final int MAX_PICKLE_BYTES = 64 << 20;

    /** Copies {@code in} to {@code file}, failing past {@code max} bytes: a stream may be endless ({@code /dev/zero}). */
    private static void copyAtMost(InputStream in, Path file, long max) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            long copied = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                copied += n;
                if (copied > max) {
                    throw new IOException("a torch.save file of more than " + max + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(InputStream in, TorchFileLimits limits) throws IOException {
        Map<String, byte[]> records = new HashMap<>();
        long total = 0;
        Path file = Files.createTempFile("kafka-train-checkpoint-", ".tar");
        try {
            copyAtMost(in, file, limits.maxTotalBytes());
            try (ZipFile zip = new ZipFile(file.toFile())) {
                for (ZipEntry e : Collections.list(zip.entries())) {
                    String name = e.getName();
                    try (InputStream entry = zip.getInputStream(e)) {
                        byte[] bytes = readAtMost(entry, name, limits, total);
                        records.put(name.substring(name.indexOf('/') + 1), bytes);
                        total += bytes.length;
                    }
                }
            }
        } catch (ZipException e) {
            throw new IOException("not a torch.save archive: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(file);
        }
        byte[] pickle = records.get("data.pkl");
        if (pickle == null) {
            throw new IOException("not a torch.save archive: no data.pkl");
        }
        if (pickle.length > MAX_PICKLE_BYTES) {
            // each of its one-byte opcodes can make an object: the pickle alone could fill the heap
            throw new IOException("data.pkl is " + pickle.length + " bytes, more than a state dict's pickle ("
                    + MAX_PICKLE_BYTES + ")");
        }
        Object value;
        try {
            value = TorchPickle.read(
                    pickle,
                    key -> {
                        byte[] storage = records.get("data/" + key);
                        if (storage == null) {
                            throw new IllegalArgumentException("archive lacks storage record data/" + key);
                        }
                        return storage;
                    },
                    limits,
                    total);
        } catch (RuntimeException e) {
            // a malformed pickle (an opcode or global it may not use, a value of the wrong type) is a bad file
            throw new IOException("not a readable torch.save pickle: " + e.getMessage(), e);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IOException(
                    "checkpoint is not a dict but " + value.getClass().getSimpleName());
        }
        return (Map<String, Object>) map;
    }

    /**
     * An entry's bytes, refusing them past {@code maxEntryBytes} or past what remains of {@code maxTotalBytes} after
     * {@code total}. Read with that bound rather than by the size in its header, which is the file's word and which a
     * deflate bomb understates.
     */
    private static byte[] readAtMost(InputStream entry, String name, TorchFileLimits limits, long total)
            throws IOException {
        long remaining = limits.maxTotalBytes() - total;
        byte[] bytes = entry.readNBytes((int) Math.min(limits.maxEntryBytes(), remaining));
        if (entry.read() != -1) {
            throw new IOException("torch.save archive entry " + name + " inflates past "
                    + (limits.maxEntryBytes() <= remaining
                            ? "maxEntryBytes " + limits.maxEntryBytes()
                            : "maxTotalBytes " + limits.maxTotalBytes() + " with the entries before it"));
        }
        return bytes;
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(ARCHIVE + name);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
