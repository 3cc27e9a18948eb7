package org.kafkatrain.contracts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one split of a dataset lives: its topic and the exact offset ranges ingest wrote there. A run of the dataset
 * reads these records and no others, so datasets can share a topic.
 */
public record DatasetRecords(String topic, List<OffsetRange> ranges) {
    public DatasetRecords {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("a dataset's records need a topic");
        }
        ranges = List.copyOf(ranges);
    }

    /** Partition -> the first offset of the dataset's records there. */
    public Map<Integer, Long> start() {
        Map<Integer, Long> start = new HashMap<>();
        ranges.forEach(r -> start.merge(r.partition(), r.from(), Math::min));
        return start;
    }

    /** Partition -> the offset after the dataset's last record there. */
    public Map<Integer, Long> end() {
        Map<Integer, Long> end = new HashMap<>();
        ranges.forEach(r -> end.merge(r.partition(), r.to(), Math::max));
        return end;
    }

    public long recordCount() {
        return ranges.stream().mapToLong(OffsetRange::records).sum();
    }
}
