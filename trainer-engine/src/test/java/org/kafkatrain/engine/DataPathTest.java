package org.kafkatrain.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

class DataPathTest {
    @Test
    void shuffleIsAPermutationAndDependsOnlyOnSeedAndInput() {
        List<Integer> a = shuffled(100, 1000, 7);
        List<Integer> b = shuffled(100, 1000, 7);
        List<Integer> c = shuffled(100, 1000, 8);
        assertThat(a)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 1000).boxed().toList());
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
        // Items travel: with a buffer of 100 the first outputs are not simply the first inputs.
        assertThat(a.subList(0, 10)).isNotEqualTo(IntStream.range(0, 10).boxed().toList());
    }

    @Test
    void batchesAreIndependentOfRecordGroupingAndTheLastOneIsSmaller() {
        List<Batch> batches = new ArrayList<>();
        BatchAssembler assembler = new BatchAssembler(4, 2, 2, 1, null, batches::add);
        for (int i = 0; i < 10; i++) {
            assembler.add(new byte[] {(byte) i, (byte) i, (byte) i, (byte) i}, i, i, 1L << i);
        }
        assembler.flush();
        assertThat(batches).extracting(Batch::size).containsExactly(4, 4, 2);
        assertThat(batches.get(2).labels()).containsExactly(8, 9);
        assertThat(batches.get(1).pixels()[0]).isEqualTo((byte) 4);
        assertThat(batches)
                .as("each batch's digest sums the id hashes of its own images")
                .extracting(Batch::sampleDigest)
                .containsExactly(0b1111L, 0b1111_0000L, 0b11_0000_0000L);
    }

    @Test
    void aBatchLargerThanAnArrayIsRefusedNotWrapped() {
        // 4096 x 1024 x 1024 x 3 wraps to 0 in int arithmetic: an empty batch array, then an index error mid-epoch
        assertThatThrownBy(() -> new BatchAssembler(4096, 1024, 1024, 3, null, b -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12884901888 bytes");
        assertThatThrownBy(() -> new BatchAssembler(0, 28, 28, 1, null, b -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void augmentationIsSeededAndKeepsShape() {
        byte[] image = new byte[8 * 8 * 3];
        new Random(1).nextBytes(image);
        List<Batch> first = new ArrayList<>();
        List<Batch> second = new ArrayList<>();
        new BatchAssembler(1, 8, 8, 3, 5L, first::add).add(image, 1, 17, 0);
        new BatchAssembler(1, 8, 8, 3, 5L, second::add).add(image, 1, 17, 0);
        assertThat(first.get(0).pixels())
                .hasSize(image.length)
                .isEqualTo(second.get(0).pixels());
    }

    private static List<Integer> shuffled(int capacity, int n, long seed) {
        List<Integer> out = new ArrayList<>();
        ShuffleBuffer<Integer> buffer = new ShuffleBuffer<>(capacity, seed, out::add);
        for (int i = 0; i < n; i++) {
            buffer.add(i);
        }
        buffer.drain();
        return out;
    }
}
