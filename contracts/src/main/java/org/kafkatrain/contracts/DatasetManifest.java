package org.kafkatrain.contracts;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a dataset on the image topics is, published by ingest on the compacted {@code datasets} topic, keyed by
 * {@code dataset} (schema: {@code schemas/dataset-manifest.v2.json}). Class indexes are positions in {@code classes},
 * which are sorted the way torchvision's ImageFolder sorts folder names. A dataset id names one immutable version:
 * ingest refuses to publish under an id that has a manifest.
 *
 * @param counts  split ("train", "val") -> class name -> number of images
 * @param records split -> the topic and exact offset ranges that hold the split's images; empty in a v1 manifest,
 *                whose runs read their topics whole
 */
public record DatasetManifest(
        int v,
        String dataset,
        List<String> classes,
        int height,
        int width,
        int channels,
        String source,
        Map<String, Map<String, Long>> counts,
        long createdAt,
        Map<String, DatasetRecords> records) {
    public static final int VERSION = 2;

    public DatasetManifest {
        classes = List.copyOf(classes);
        counts = Map.copyOf(counts);
        records = records == null ? Map.of() : Map.copyOf(records);
    }

    /** The records of {@code split} when this manifest pins them. */
    public Optional<DatasetRecords> recordsOf(String split) {
        return Optional.ofNullable(records.get(split));
    }

    /** Images of {@code split}, over its classes. */
    public long imagesOf(String split) {
        return counts.getOrDefault(split, Map.of()).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }
}
