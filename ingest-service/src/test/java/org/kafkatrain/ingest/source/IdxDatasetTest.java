package org.kafkatrain.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** IDX files whose headers lie about their sizes fail with the reason, without allocating what the header claims. */
class IdxDatasetTest {
    @Test
    void aWellFormedPairIsRead(@TempDir Path dir) throws IOException {
        write(dir, 2, 2, 28, 28, 2 * 28 * 28);
        assertThat(new IdxDataset(dir).images()).hasSize(2);
    }

    @Test
    void aHeaderClaimingTwoBillionLabelsIsRefusedNotAllocated(@TempDir Path dir) throws IOException {
        // before: new byte[2147483647] of a 9-byte file, an OutOfMemoryError in a small heap
        write(dir, Integer.MAX_VALUE, 1, 28, 28, 28 * 28);
        assertThatThrownBy(() -> new IdxDataset(dir).images())
                .hasMessageContaining("declares 2147483647 labels and holds 1");
        write(dir, -1, 1, 28, 28, 28 * 28);
        assertThatThrownBy(() -> new IdxDataset(dir).images()).hasMessageContaining("declares -1 labels");
    }

    @Test
    void imagesBeyondTheSideLimitAreRefused(@TempDir Path dir) throws IOException {
        // before: rows * cols of 65536 x 65536 wrapped to 0, and every image read as empty
        write(dir, 1, 1, 65536, 65536, 16);
        assertThatThrownBy(() -> new IdxDataset(dir).images()).hasMessageContaining("65536x65536");
    }

    private static void write(Path dir, int labelCount, int labelBytes, int rows, int cols, int pixelBytes)
            throws IOException {
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        DataOutputStream l = new DataOutputStream(labels);
        l.writeInt(0x801);
        l.writeInt(labelCount);
        l.write(new byte[labelBytes]);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels.toByteArray());
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        DataOutputStream i = new DataOutputStream(images);
        i.writeInt(0x803);
        i.writeInt(labelBytes);
        i.writeInt(rows);
        i.writeInt(cols);
        i.write(new byte[pixelBytes]);
        Files.write(dir.resolve("train-images-idx3-ubyte"), images.toByteArray());
    }
}
