package org.kafkatrain.contracts;

/**
 * Bounds a decoder enforces before it allocates anything, so hostile input yields an error instead of an
 * OutOfMemoryError.
 *
 * @param maxImageSide       largest accepted height or width, in pixels
 * @param maxImagesPerRecord largest number of images in one batch envelope
 * @param maxRecordBytes     largest accepted record value
 * @param maxPixelsPerRecord most pixels (height x width, summed over its images) one record may decode to; checked
 *                           from the envelope and the images' headers before any pixel is decoded
 * @param numClasses         labels must lie in [0, numClasses); 0 when the class count is not known yet
 * @param shape              the shape every image must have, or null when any shape is accepted
 */
public record RecordLimits(
        int maxImageSide,
        int maxImagesPerRecord,
        int maxRecordBytes,
        long maxPixelsPerRecord,
        int numClasses,
        Shape shape) {
    public static final RecordLimits DEFAULT = new RecordLimits(1024, 4096, 2 * 1024 * 1024, 4L << 20, 0, null);

    /** An image's height, width and channel count. */
    public record Shape(int height, int width, int channels) {
        @Override
        public String toString() {
            return height + "x" + width + "x" + channels;
        }
    }

    public RecordLimits {
        if (maxImageSide <= 0
                || maxImagesPerRecord <= 0
                || maxRecordBytes <= 0
                || maxPixelsPerRecord <= 0
                || numClasses < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxImageSide + ", " + maxImagesPerRecord
                    + ", " + maxRecordBytes + ", " + maxPixelsPerRecord + ", " + numClasses);
        }
    }

    public RecordLimits withNumClasses(int classes) {
        return new RecordLimits(maxImageSide, maxImagesPerRecord, maxRecordBytes, maxPixelsPerRecord, classes, shape);
    }

    /** These limits for a reader that takes images of one shape only (a run's): others are refused undecoded. */
    public RecordLimits withShape(int height, int width, int channels) {
        return new RecordLimits(
                maxImageSide,
                maxImagesPerRecord,
                maxRecordBytes,
                maxPixelsPerRecord,
                numClasses,
                new Shape(height, width, channels));
    }
}
