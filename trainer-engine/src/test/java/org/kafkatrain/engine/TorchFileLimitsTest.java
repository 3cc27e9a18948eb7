package org.kafkatrain.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Hostile {@code torch.save} files (a checkpoint or init weights from a user or from S3) are refused with an
 * IOException, as a file that is not an archive at all is, before the reader allocates what they state.
 */
class TorchFileLimitsTest {
    private static final long MIB = 1 << 20;
    private static final TorchFileLimits SMALL = new TorchFileLimits(MIB, MIB, 4 * MIB);

    @Test
    void aStorageShorterThanItsTensorIsRefusedNotPaddedWithZeros() throws IOException {
        byte[] whole = archive(Map.of("weight", floats(new long[] {4, 4})));
        byte[] truncated = rezipped(entries(whole), "data/0", data -> Arrays.copyOf(data, 16));
        assertThatThrownBy(() -> read(truncated, TorchFileLimits.DEFAULT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("data/0")
                .hasMessageContaining("64 bytes")
                .hasMessageContaining("16");

        // a transposed 2x2 view of a one-element storage reaches past its end too
        assertThatThrownBy(() -> read(view(new long[] {2, 2}, new long[] {1, 2}), TorchFileLimits.DEFAULT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("data/0")
                .hasMessageContaining("4 bytes");
    }

    @Test
    void aTensorBeyondTheLimitIsRefusedBeforeItIsExpanded() throws IOException {
        // stride 0: one stored float stands for every element, as torch.save keeps an expand()ed tensor
        assertThat(read(view(new long[] {MIB / 4}, new long[] {0}), SMALL).get("t0"))
                .isInstanceOfSatisfying(
                        TensorData.class, t -> assertThat(t.data()).hasSize((int) MIB));
        assertThatThrownBy(() -> read(view(new long[] {MIB / 4 + 1}, new long[] {0}), SMALL))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("data/0")
                .hasMessageContaining("1048580 bytes")
                .hasMessageContaining("1048576");
        // an element count that overflows a long is refused, not wrapped round to an empty tensor
        assertThatThrownBy(() ->
                        read(view(new long[] {1L << 32, 1L << 32}, new long[] {0, 0}), TorchFileLimits.DEFAULT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("data/0");
    }

    @Test
    void aPickleStringLongerThanThePickleIsRefusedBeforeItIsAllocated() {
        byte[] huge = ByteBuffer.allocate(10)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 0x80)
                .put((byte) 2)
                .put((byte) 'X') // BINUNICODE: a 4-byte length, then that many bytes
                .putInt(Integer.MAX_VALUE)
                .put("ab.".getBytes(StandardCharsets.US_ASCII))
                .array();
        assertThatThrownBy(() -> read(zip(Map.of("data.pkl", huge)), TorchFileLimits.DEFAULT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("2147483647")
                .hasMessageContaining("3 remain");
        byte[] negative = huge.clone();
        ByteBuffer.wrap(negative).order(ByteOrder.LITTLE_ENDIAN).putInt(3, -1);
        assertThatThrownBy(() -> read(zip(Map.of("data.pkl", negative)), TorchFileLimits.DEFAULT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void anEntryThatInflatesBeyondTheLimitIsRefusedWhateverItsHeaderSays() {
        byte[] bomb = zip(Map.of("data.pkl", new byte[(int) (8 * MIB)])); // zeros deflate a thousandfold
        claimUncompressedSize(bomb, 100);
        assertThatThrownBy(() -> read(bomb, SMALL))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("archive/data.pkl")
                .hasMessageContaining("1048576");
    }

    @Test
    void manyTensorsWithinTheLimitStillCannotExceedTheFilesTotal() {
        // eight 1 MiB views of one-float storages: each within maxTensorBytes, 8 MiB in all against 4 MiB
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            tensors.put("t" + i, floats(new long[] {1}));
        }
        byte[] archive = restrided(archive(tensors), new long[] {MIB / 4}, new long[] {0});
        assertThatThrownBy(() -> read(archive, SMALL))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("4194304");
    }

    @Test
    void anEndlessStreamIsCutAtTheFilesTotalNotCopiedToDisk() {
        // /dev/zero as initWeights: copied whole to a temp file before, until the disk was full
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }
        };
        assertThatThrownBy(() -> TorchCheckpointFile.read(endless, SMALL))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("more than 4194304 bytes");
    }

    @Test
    void aLargePickleOrAMalformedOneIsABadFileNotAnErrorOfAnotherKind() {
        byte[] huge = rezipped(
                entries(view(new long[] {1}, new long[] {1})),
                "data.pkl",
                pkl -> new byte[TorchCheckpointFile.MAX_PICKLE_BYTES + 1]);
        assertThatThrownBy(() -> read(huge, TorchFileLimits.DEFAULT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("data.pkl is");
        // an opcode the reader does not take escaped as IllegalArgumentException, which callers did not expect
        byte[] odd = rezipped(entries(view(new long[] {1}, new long[] {1})), "data.pkl", pkl -> new byte[] {0});
        assertThatThrownBy(() -> read(odd, TorchFileLimits.DEFAULT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a readable torch.save pickle");
    }

    private static Map<String, Object> read(byte[] archive, TorchFileLimits limits) throws IOException {
        return TorchCheckpointFile.read(new ByteArrayInputStream(archive), limits);
    }

    /** The archive the engine writes for a checkpoint of these tensors. */
    private static byte[] archive(Map<String, TensorData> tensors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TorchCheckpointFile.write(tensors, out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** A float32 tensor of this shape whose elements are 1, 2, 3, ... */
    private static TensorData floats(long[] shape) {
        ByteBuffer data = ByteBuffer.allocate((int) TensorData.numel(shape) * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; data.hasRemaining(); i++) {
            data.putFloat(i + 1);
        }
        return new TensorData(TensorData.DType.FLOAT32, shape, data.array());
    }

    /** An archive whose tensor {@code t0} is this view of a one-float storage. */
    private static byte[] view(long[] shape, long[] stride) {
        return restrided(archive(Map.of("t0", floats(new long[] {1}))), shape, stride);
    }

    /**
     * The engine's archive of one-float tensors with the shape and stride of each restated as a hostile file would: the
     * engine pickles a shape and a stride of (1,) as {@code (J<1>t(J<1>t} then False; this puts {@code shape, stride}
     * in their place, as LONG1 integers.
     */
    private static byte[] restrided(byte[] archive, long[] shape, long[] stride) {
        byte[] one = {'(', 'J', 1, 0, 0, 0, 't'};
        ByteArrayOutputStream find = new ByteArrayOutputStream();
        find.writeBytes(one);
        find.writeBytes(one);
        find.write(0x89);
        ByteArrayOutputStream put = new ByteArrayOutputStream();
        put.writeBytes(tuple(shape));
        put.writeBytes(tuple(stride));
        put.write(0x89);
        return rezipped(
                entries(archive), "data.pkl", pickle -> replaceAll(pickle, find.toByteArray(), put.toByteArray()));
    }

    private static byte[] tuple(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(2 + 10 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) '(');
        for (long v : values) {
            b.put((byte) 0x8a).put((byte) 8).putLong(v); // LONG1 of 8 bytes
        }
        return Arrays.copyOf(b.put((byte) 't').array(), b.position());
    }

    private static byte[] replaceAll(byte[] in, byte[] find, byte[] put) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int found = 0;
        for (int i = 0; i < in.length; ) {
            if (Arrays.equals(in, i, Math.min(i + find.length, in.length), find, 0, find.length)) {
                out.writeBytes(put);
                i += find.length;
                found++;
            } else {
                out.write(in[i++]);
            }
        }
        assertThat(found)
                .as("tensors the engine pickled with shape and stride (1,)")
                .isPositive();
        return out.toByteArray();
    }

    /** The entries of an archive, by their names below its top folder. */
    private static Map<String, byte[]> entries(byte[] archive) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName().substring(e.getName().indexOf('/') + 1), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return entries;
    }

    private static byte[] rezipped(Map<String, byte[]> entries, String name, UnaryOperator<byte[]> change) {
        Map<String, byte[]> changed = new LinkedHashMap<>(entries);
        changed.put(name, change.apply(entries.get(name)));
        return zip(changed);
    }

    /** A torch.save-like archive of these entries, deflated, under one top folder. */
    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry("archive/" + e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** Makes the central directory state this uncompressed size for every entry, as a lying header would. */
    private static void claimUncompressedSize(byte[] zip, int size) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int claimed = 0;
        for (int i = 0; i + 46 <= zip.length; i++) {
            if (b.getInt(i) == 0x02014b50) { // a central directory header; the uncompressed size is at 24
                b.putInt(i + 24, size);
                claimed++;
            }
        }
        assertThat(claimed).isPositive();
    }
}
