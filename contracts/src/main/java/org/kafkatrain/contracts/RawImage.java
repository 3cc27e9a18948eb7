package org.kafkatrain.contracts;

/** Decoded pixels, HWC uint8, before resizing. */
public record RawImage(byte[] pixels, int height, int width, int channels) {}
