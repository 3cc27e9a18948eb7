package org.kafkatrain.contracts;

import java.util.List;
import java.util.Map;

/**
 * What a dataset on the image topics is, published by ingest on the compacted {@code datasets} topic, keyed by
 * {@code dataset} (schema: {@code schemas/dataset-manifest.v1.json}). Class indexes are positions in {@code classes},
 * which are sorted the way torchvision's ImageFolder sorts folder names.
 *
 * @param counts split ("train", "val") -> class name -> number of images
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
        long createdAt) {
    public static final int VERSION = 1;

    public DatasetManifest {
        classes = List.copyOf(classes);
        counts = Map.copyOf(counts);
    }
}
