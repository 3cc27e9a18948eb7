package org.kafkatrain.contracts;

import org.kafkatrain.contracts.InvalidRecordException.Problem;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/** PNG and JPEG bytes to and from raw HWC uint8 pixels, through the JDK's ImageIO. */
public final class ImageFiles {
    private ImageFiles() {}

    /** What an image's header must show before its pixels are decoded. */
    @FunctionalInterface
    public interface HeaderCheck {
        void check(int height, int width) throws InvalidRecordException;
    }

    /**
     * Decodes a PNG or JPEG (or any format ImageIO reads). The header's size is checked against {@code maxSide}
     * before any pixel buffer is allocated.
     */
    public static BufferedImage read(byte[] bytes, int maxSide) throws InvalidRecordException {
        return read(bytes, maxSide, null);
    }

    /** As {@link #read(byte[], int)}, the image only of {@code format} (see {@link #read(byte[], String, HeaderCheck)}). */
    public static BufferedImage read(byte[] bytes, int maxSide, String format) throws InvalidRecordException {
        return read(bytes, format, (height, width) -> {
            if (width > maxSide || height > maxSide) {
                throw new InvalidRecordException(
                        Problem.IMAGE_TOO_LARGE,
                        height + "x" + width + " exceeds the limit of " + maxSide + " px per side");
            }
        });
    }

    /**
     * Decodes an image of {@code format} ("png", "jpeg"; null: any ImageIO reads) once its header has passed
     * {@code check}: ImageIO's readers give the size from the header alone, so a refused image costs no pixel buffer;
     * and what a sender declared is what gets decoded, not whichever codec (TIFF, BMP, GIF) claims the bytes.
     */
    public static BufferedImage read(byte[] bytes, String format, HeaderCheck check) throws InvalidRecordException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidRecordException(
                        Problem.CORRUPT_IMAGE, "not a PNG or JPEG image (" + bytes.length + " bytes)");
            }
            ImageReader reader = readers.next();
            try {
                if (format != null && !reader.getFormatName().equalsIgnoreCase(format)) {
                    throw new InvalidRecordException(
                            Problem.CORRUPT_IMAGE,
                            "a " + reader.getFormatName() + " image where " + format + " was declared");
                }
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw new InvalidRecordException(Problem.BAD_SHAPE, "image header says " + height + "x" + width);
                }
                check.check(height, width);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO signals truncated and corrupt files with IIOException but also with unchecked exceptions
            // (array bounds, illegal state) from its codecs: all of them mean the same thing here.
            throw new InvalidRecordException(Problem.CORRUPT_IMAGE, "cannot decode image: " + e, e);
        }
    }

    /** Natural channel count of a decoded image: 1 for grayscale, 3 for anything with colour (alpha is dropped). */
    public static int channelsOf(BufferedImage image) {
        return image.getColorModel().getNumColorComponents() == 1 ? 1 : 3;
    }

    /** Pixels of {@code image} as HWC uint8 with 1 (luma, as PIL's convert("L")) or 3 (RGB) channels. */
    public static byte[] toPixels(BufferedImage image, int channels) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * channels];
        if (channels == 1 && image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            image.getRaster().getDataElements(0, 0, w, h, out);
            return out;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int rgb = row[x];
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                int o = (y * w + x) * channels;
                if (channels == 1) {
                    out[o] = (byte) ((r * 299 + g * 587 + b * 114) / 1000);
                } else {
                    out[o] = (byte) r;
                    out[o + 1] = (byte) g;
                    out[o + 2] = (byte) b;
                }
            }
        }
        return out;
    }

    /** An image of HWC uint8 pixels with 1 or 3 channels. */
    public static BufferedImage toImage(byte[] pixels, int height, int width, int channels) {
        if (channels == 1) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, width, height, pixels);
            return image;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = (y * width + x) * 3;
                image.setRGB(x, y, (pixels[o] & 0xff) << 16 | (pixels[o + 1] & 0xff) << 8 | (pixels[o + 2] & 0xff));
            }
        }
        return image;
    }

    /** Encodes pixels as "png" or "jpeg" (JPEG at ImageIO's default quality, 0.75). */
    public static byte[] encode(byte[] pixels, int height, int width, int channels, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(toImage(pixels, height, width, channels), format, out)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
