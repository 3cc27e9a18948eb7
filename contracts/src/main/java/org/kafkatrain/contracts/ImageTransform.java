package org.kafkatrain.contracts;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brings an image to the training resolution once, at ingest: torchvision's {@code Resize(size)} (shorter side to
 * {@code size}, bilinear) then {@code CenterCrop(size)} on a PIL image, and the requested channel count (PIL's
 * {@code convert("RGB")} of grayscale, or {@code convert("L")} of RGB). The resampling is PIL's own algorithm
 * (separable triangle filter widened by the scale when shrinking, so it antialiases; 22-bit fixed-point weights;
 * a horizontal then a vertical pass, each rounded to 8 bits), so the pixels are those torchvision's pipeline gives,
 * bit for bit ({@code ImageTransformTest}, against {@code tools/make_resize_reference.py}); only the crop window
 * is computed.
 */
public final class ImageTransform {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private final int size;
    private final int channels;
    /** The filter weights depend only on the sizes: computed once per source size, not per image (decode threads share them). */
    private final Map<Window, Coefficients> coefficients = new ConcurrentHashMap<>();

    private record Window(int in, int out, int first, int count) {}

    /** @param size target side in pixels, or 0 to keep the source size; @param channels 1, 3, or 0 to keep */
    public ImageTransform(int size, int channels) {
        this.size = size;
        this.channels = channels;
    }

    public RawImage apply(RawImage in) {
        RawImage out = in;
        if (size > 0 && (in.height() != size || in.width() != size)) {
            out = resizeAndCrop(in, in.channels() == 1 && channels == 3);
        }
        int c = channels == 0 ? out.channels() : channels;
        if (c != out.channels()) {
            out = convert(out, c);
        }
        return out;
    }

    /**
     * torchvision's output size (the long side truncated, as its {@code int()}) and crop offsets (Python's round).
     *
     * @param rgb a gray image may come out as RGB (when the vertical pass runs, it repeats each value)
     */
    private RawImage resizeAndCrop(RawImage in, boolean rgb) {
        int h = in.height();
        int w = in.width();
        int c = in.channels();
        int newH;
        int newW;
        if (w <= h) {
            newW = size;
            newH = (int) ((double) size * h / w);
        } else {
            newH = size;
            newW = (int) ((double) size * w / h);
        }
        int top = (int) Math.rint((newH - size) / 2.0);
        int left = (int) Math.rint((newW - size) / 2.0);
        boolean resize = newW != w || newH != h;
        // Horizontal pass (or the crop's columns as they are): h rows of `size` columns.
        byte[] rows;
        if (resize && newW != w) {
            rows = horizontal(in.pixels(), h, w, c, coefficients(w, newW, left, size));
        } else {
            rows = new byte[h * size * c];
            for (int y = 0; y < h; y++) {
                System.arraycopy(in.pixels(), (y * w + left) * c, rows, y * size * c, size * c);
            }
        }
        if (resize && newH != h) {
            return new RawImage(
                    vertical(rows, size, c, coefficients(h, newH, top, size), rgb), size, size, rgb ? 3 : c);
        }
        byte[] out = new byte[size * size * c];
        System.arraycopy(rows, top * size * c, out, 0, size * size * c);
        return new RawImage(out, size, size, c);
    }

    private Coefficients coefficients(int in, int out, int first, int count) {
        return coefficients.computeIfAbsent(
                new Window(in, out, first, count), k -> Coefficients.of(k.in(), k.out(), k.first(), k.count()));
    }

    /**
     * PIL's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} for the bilinear filter, for the outputs
     * {@code first .. first + count - 1} of a resize from {@code in} to {@code out} samples.
     */
    private record Coefficients(int[] start, int[] taps, int[] weights, int ksize) {
        static Coefficients of(int in, int out, int first, int count) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the triangle's support, 1, widened when shrinking
            double ss = 1.0 / filterScale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[count];
            int[] taps = new int[count];
            int[] weights = new int[count * ksize];
            double[] k = new double[ksize];
            for (int j = 0; j < count; j++) {
                double center = (first + j + 0.5) * scale;
                int xmin = Math.max(0, (int) (center - support + 0.5));
                int xmax = Math.min(in, (int) (center + support + 0.5)) - xmin;
                double sum = 0;
                for (int x = 0; x < xmax; x++) {
                    double t = Math.abs((x + xmin - center + 0.5) * ss);
                    k[x] = t < 1.0 ? 1.0 - t : 0.0;
                    sum += k[x];
                }
                for (int x = 0; x < xmax; x++) {
                    double v = sum != 0.0 ? k[x] / sum : k[x];
                    weights[j * ksize + x] =
                            (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
                }
                start[j] = xmin;
                taps[j] = xmax;
            }
            return new Coefficients(start, taps, weights, ksize);
        }
    }

    private static byte[] horizontal(byte[] in, int h, int w, int c, Coefficients k) {
        int[] start = k.start();
        int[] taps = k.taps();
        int[] weights = k.weights();
        int ksize = k.ksize();
        int cols = start.length;
        byte[] out = new byte[h * cols * c];
        for (int y = 0; y < h; y++) {
            for (int j = 0; j < cols; j++) {
                int base = (y * w + start[j]) * c;
                int kbase = j * ksize;
                int n = taps[j];
                for (int ch = 0; ch < c; ch++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    for (int t = 0; t < n; t++) {
                        sum += (in[base + t * c + ch] & 0xff) * weights[kbase + t];
                    }
                    out[(y * cols + j) * c + ch] = clip8(sum);
                }
            }
        }
        return out;
    }

    /**
     * Row by row, so the inner loop runs along a row of the intermediate image: one weight per source row. With
     * {@code rgb}, a gray image comes out with each value written three times, which is PIL's {@code convert("RGB")}
     * done in the same pass instead of another one over the 3x larger image.
     */
    private static byte[] vertical(byte[] in, int w, int c, Coefficients k, boolean rgb) {
        int[] start = k.start();
        int[] taps = k.taps();
        int[] weights = k.weights();
        int ksize = k.ksize();
        int rows = start.length;
        int stride = w * c;
        byte[] out = new byte[rows * stride * (rgb ? 3 : 1)];
        int[] sums = new int[stride];
        for (int i = 0; i < rows; i++) {
            int base = start[i] * stride;
            int kbase = i * ksize;
            if (taps[i] == 2) { // every row of an enlargement: both source rows in one pass
                int w0 = weights[kbase];
                int w1 = weights[kbase + 1];
                for (int x = 0; x < stride; x++) {
                    sums[x] = (1 << (PRECISION_BITS - 1))
                            + (in[base + x] & 0xff) * w0
                            + (in[base + stride + x] & 0xff) * w1;
                }
            } else {
                Arrays.fill(sums, 1 << (PRECISION_BITS - 1));
                for (int t = 0; t < taps[i]; t++) {
                    int weight = weights[kbase + t];
                    int row = base + t * stride;
                    for (int x = 0; x < stride; x++) {
                        sums[x] += (in[row + x] & 0xff) * weight;
                    }
                }
            }
            int o = i * stride;
            if (rgb) {
                for (int x = 0, p = 3 * o; x < stride; x++, p += 3) {
                    byte v = clip8(sums[x]);
                    out[p] = v;
                    out[p + 1] = v;
                    out[p + 2] = v;
                }
            } else {
                for (int x = 0; x < stride; x++) {
                    out[o + x] = clip8(sums[x]);
                }
            }
        }
        return out;
    }

    private static byte clip8(int sum) {
        return (byte) Math.max(0, Math.min(255, sum >> PRECISION_BITS));
    }

    /** PIL's {@code convert}: gray repeated to RGB; RGB to luma with ITU-R 601-2 weights in 16-bit fixed point. */
    private static RawImage convert(RawImage in, int channels) {
        int n = in.height() * in.width();
        byte[] src = in.pixels();
        byte[] out = new byte[n * channels];
        if (channels == 3) {
            for (int i = 0, o = 0; i < n; i++, o += 3) {
                byte v = src[i];
                out[o] = v;
                out[o + 1] = v;
                out[o + 2] = v;
            }
        } else {
            for (int i = 0, o = 0; i < n; i++, o += 3) {
                int r = src[o] & 0xff;
                int g = src[o + 1] & 0xff;
                int b = src[o + 2] & 0xff;
                out[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
            }
        }
        return new RawImage(out, in.height(), in.width(), channels);
    }
}
