package org.kafkatrain.ingest.source;

/** An input file that cannot become a training image: unreadable, corrupt, empty, or over the size limit. */
public class UnreadableImageException extends Exception {
    UnreadableImageException(String message) {
        super(message);
    }
}
