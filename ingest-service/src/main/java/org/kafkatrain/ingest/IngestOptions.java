package org.kafkatrain.ingest;

import java.nio.file.Path;

/** How to ingest one dataset; see {@link IngestCommand} for the meaning of each option. */
record IngestOptions(
        Path path,
        String format,
        String dataset,
        String trainTopic,
        String valTopic,
        String datasetsTopic,
        double valFraction,
        int limitPerClass,
        int valLimitPerClass,
        int size,
        int channels,
        String encoding,
        int recordBytes,
        int maxImagesPerRecord,
        int maxImageSide,
        int partitions,
        long seed,
        boolean progress) {}
