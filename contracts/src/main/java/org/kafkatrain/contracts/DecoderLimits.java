package org.kafkatrain.contracts;

import io.smallrye.config.WithDefault;

/**
 * What a service's record decoder accepts before it refuses a record (dead letter, or HTTP 400): the
 * {@code trainer.limits.*} and {@code inference.limits.*} settings, with their defaults written here once.
 */
public interface DecoderLimits {
    @WithDefault("1024")
    int maxImageSide();

    @WithDefault("4096")
    int maxImagesPerRecord();

    @WithDefault("2097152")
    int maxRecordBytes();

    /**
     * Most pixels (height x width, summed over its images) one record may decode to, checked from the envelope and
     * the images' headers before any is decoded: 4 Mi, twice what a 2 MiB record of raw pixels holds, so that a
     * small record of compressed images cannot decode to gigabytes.
     */
    @WithDefault("4194304")
    long maxPixelsPerRecord();

    /** These limits for the decoder; labels checked against {@code numClasses} when it is known (else 0). */
    default RecordLimits recordLimits(int numClasses) {
        return new RecordLimits(
                maxImageSide(), maxImagesPerRecord(), maxRecordBytes(), maxPixelsPerRecord(), numClasses, null);
    }
}
