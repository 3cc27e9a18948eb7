package org.kafkatrain.ingest.source;

import java.util.List;
import java.util.stream.Stream;

/** A labeled image dataset on disk, in one of the layouts ingest reads. */
public interface DatasetSource {
    /** Class names; an image's label is its index here. */
    List<String> classes();

    /** Whether images carry their own train/val split. */
    boolean hasSplits();

    Stream<SourceImage> images();

    /** Files found while listing that are not images at all (reported as skipped). */
    default List<String> unusable() {
        return List.of();
    }
}
