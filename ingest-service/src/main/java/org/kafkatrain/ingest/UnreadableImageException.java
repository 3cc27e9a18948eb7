package org.kafkatrain.ingest;

/** An input file that cannot become a training image: unreadable, corrupt, empty, or over the size limit. */
class UnreadableImageException extends Exception {
    UnreadableImageException(String message) {
        super(message);
    }
}
