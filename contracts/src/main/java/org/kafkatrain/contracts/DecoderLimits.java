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

    /** These limits for the decoder; labels checked against {@code numClasses} when it is known (else 0). */
    default RecordLimits recordLimits(int numClasses) {
        return new RecordLimits(maxImageSide(), maxImagesPerRecord(), maxRecordBytes(), numClasses);
    }
}
