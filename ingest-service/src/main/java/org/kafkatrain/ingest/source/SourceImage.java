package org.kafkatrain.ingest.source;

import org.kafkatrain.contracts.RawImage;

/**
 * One labeled image of a dataset, not yet decoded.
 *
 * @param split "train", "val", or null when the source has no split
 */
public record SourceImage(String id, int label, String split, PixelLoader loader) {

    /** Reads and decodes the image; throws with a message fit for the skip report. */
    @FunctionalInterface
    public interface PixelLoader {
        RawImage load() throws UnreadableImageException;
    }
}
