package org.kafkatrain.contracts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Consecutive records of one partition: offsets {@code from} (inclusive) to {@code to} (exclusive).
 *
 * @param partition the topic's partition
 */
public record OffsetRange(int partition, long from, long to) {
    public OffsetRange {
        if (partition < 0 || from < 0 || to <= from) {
            throw new IllegalArgumentException(
                    "not a range of offsets: partition " + partition + " [" + from + ", " + to + ")");
        }
    }

    public long records() {
        return to - from;
    }

    public boolean contains(int partitionOf, long offset) {
        return partitionOf == partition && offset >= from && offset < to;
    }

    /**
     * The fewest ranges that hold exactly the given records (partition -> offsets, in any order), sorted by partition
     * and offset. Records another producer wrote between them split a range, so the ranges never take in a record
     * that was not given.
     */
    public static List<OffsetRange> covering(Map<Integer, List<Long>> offsets) {
        List<OffsetRange> ranges = new ArrayList<>();
        new TreeMap<>(offsets).forEach((partition, list) -> {
            List<Long> sorted = list.stream().sorted().distinct().toList();
            int i = 0;
            while (i < sorted.size()) {
                int j = i;
                while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                    j++;
                }
                ranges.add(new OffsetRange(partition, sorted.get(i), sorted.get(j) + 1));
                i = j + 1;
            }
        });
        ranges.sort(Comparator.comparingInt(OffsetRange::partition).thenComparingLong(OffsetRange::from));
        return ranges;
    }
}
