package org.kafkatrain.contracts;

/**
 * Bounds a decoder enforces before it allocates anything, so hostile input yields an error instead of an
 * OutOfMemoryError.
 *
 * @param maxImageSide       largest accepted height or width, in pixels
 * @param maxImagesPerRecord largest number of images in one batch envelope
 * @param maxRecordBytes     largest accepted record value
 * @param numClasses         labels must lie in [0, numClasses); 0 when the class count is not known yet
 */
public record RecordLimits(int maxImageSide, int maxImagesPerRecord, int maxRecordBytes, int numClasses) {
    public static final RecordLimits DEFAULT = new RecordLimits(1024, 4096, 2 * 1024 * 1024, 0);

    public RecordLimits {
        if (maxImageSide <= 0 || maxImagesPerRecord <= 0 || maxRecordBytes <= 0 || numClasses < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxImageSide + ", " + maxImagesPerRecord
                    + ", " + maxRecordBytes + ", " + numClasses);
        }
    }

    public RecordLimits withNumClasses(int classes) {
        return new RecordLimits(maxImageSide, maxImagesPerRecord, maxRecordBytes, classes);
    }
}
