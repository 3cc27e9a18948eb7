package org.kafkatrain.ingest;

/** Decoded pixels, HWC uint8, before resizing. */
record RawImage(byte[] pixels, int height, int width, int channels) {}
