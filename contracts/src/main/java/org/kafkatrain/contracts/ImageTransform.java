package org.kafkatrain.contracts;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Brings an image to the training resolution once, at ingest: torchvision's {@code Resize(size)} (shorter side to
 * {@code size}, bilinear) then {@code CenterCrop(size)}, and the requested channel count (grayscale repeated to RGB,
 * or RGB to luma).
 */
public final class ImageTransform {
    private final int size;
    private final int channels;

    /** @param size target side in pixels, or 0 to keep the source size; @param channels 1, 3, or 0 to keep */
    public ImageTransform(int size, int channels) {
        this.size = size;
        this.channels = channels;
    }

    public RawImage apply(RawImage in) {
        RawImage out = in;
        if (size > 0 && (in.height() != size || in.width() != size)) {
            out = resizeAndCrop(in);
        }
        int c = channels == 0 ? out.channels() : channels;
        if (c != out.channels()) {
            out = convert(out, c);
        }
        return out;
    }

    private RawImage resizeAndCrop(RawImage in) {
        double scale = (double) size / Math.min(in.height(), in.width());
        int h = Math.max(size, (int) Math.round(in.height() * scale));
        int w = Math.max(size, (int) Math.round(in.width() * scale));
        BufferedImage source = ImageFiles.toImage(in.pixels(), in.height(), in.width(), in.channels());
        BufferedImage scaled =
                new BufferedImage(w, h, in.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(source, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        BufferedImage cropped = scaled.getSubimage((w - size) / 2, (h - size) / 2, size, size);
        return new RawImage(ImageFiles.toPixels(cropped, in.channels()), size, size, in.channels());
    }

    private static RawImage convert(RawImage in, int channels) {
        int n = in.height() * in.width();
        byte[] out = new byte[n * channels];
        for (int i = 0; i < n; i++) {
            if (channels == 3) { // gray -> RGB
                out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = in.pixels()[i];
            } else { // RGB -> luma, as PIL's convert("L")
                int r = in.pixels()[3 * i] & 0xff;
                int g = in.pixels()[3 * i + 1] & 0xff;
                int b = in.pixels()[3 * i + 2] & 0xff;
                out[i] = (byte) ((r * 299 + g * 587 + b * 114) / 1000);
            }
        }
        return new RawImage(out, in.height(), in.width(), channels);
    }
}
