package org.kafkatrain.inference.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.inference.api.InferenceProtocol.RequestTensor;
import org.kafkatrain.inference.config.InferenceConfig;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The images of an inference request's input tensor: {@code UINT8} pixels shaped {@code [N, H, W, C]} (or
 * {@code [H, W, C]}), or {@code BYTES} holding base64 PNG/JPEG files shaped {@code [N]}. The shape is checked, and
 * {@code N} held to the request limits, before any image is built: a 2 MB body may claim a million images.
 */
final class TensorImages {
    private final InferenceConfig.Limits limits;

    TensorImages(InferenceConfig.Limits limits) {
        this.limits = limits;
    }

    /**
     * @throws IllegalArgumentException   a tensor that cannot be images (400)
     * @throws RequestTooLargeException   more images or pixels than the limits allow (413)
     * @throws InvalidRecordException     an encoded image that cannot be read (400)
     */
    List<Sample> read(RequestTensor t) throws InvalidRecordException {
        if (t == null || t.datatype() == null || t.shape() == null || t.data() == null) {
            throw new IllegalArgumentException("the input tensor needs name, shape, datatype and data");
        }
        List<Long> shape = t.shape();
        if (shape.contains(null)) {
            throw new IllegalArgumentException("shape " + shape + " has a null dimension");
        }
        if (shape.stream().anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("shape " + shape + ": every dimension must be positive");
        }
        return switch (t.datatype()) {
            case "UINT8" -> pixels(shape, t.data());
            case "BYTES" -> files(shape, t.data());
            default ->
                throw new IllegalArgumentException("datatype " + t.datatype()
                        + " is not served: send UINT8 pixels [N, H, W, C] or BYTES images [N]");
        };
    }

    private List<Sample> pixels(List<Long> shape, JsonNode data) {
        List<Long> s = shape.size() == 3 ? List.of(1L, shape.get(0), shape.get(1), shape.get(2)) : shape;
        if (s.size() != 4 || (s.get(3) != 1 && s.get(3) != 3)) {
            throw new IllegalArgumentException(
                    "UINT8 input must be shaped [N, H, W, C] or [H, W, C] with C 1 or 3: " + shape);
        }
        int n = imageCount(s.get(0));
        if (s.get(1) > limits.maxImageSide() || s.get(2) > limits.maxImageSide()) {
            throw new IllegalArgumentException(
                    s.get(1) + "x" + s.get(2) + " exceeds the limit of " + limits.maxImageSide() + " px per side");
        }
        int h = s.get(1).intValue();
        int w = s.get(2).intValue();
        int c = s.get(3).intValue();
        if ((long) h * w > limits.maxPixelsPerRecord() / n) {
            throw overBudget(n + " images of " + h + "x" + w);
        }
        List<JsonNode> values = flatten(data);
        long expected = (long) n * h * w * c;
        if (values.size() != expected) {
            throw new IllegalArgumentException(
                    "shape " + shape + " needs " + expected + " values, got " + values.size());
        }
        List<Sample> images = new ArrayList<>(n);
        int at = 0;
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[h * w * c];
            for (int j = 0; j < px.length; j++) {
                JsonNode v = values.get(at++);
                if (!v.canConvertToInt() || v.asInt() < 0 || v.asInt() > 255) {
                    throw new IllegalArgumentException("UINT8 value out of range at " + (at - 1) + ": " + v);
                }
                px[j] = (byte) v.asInt();
            }
            images.add(new Sample("input#" + i, Sample.NO_LABEL, h, w, c, px));
        }
        return images;
    }

    private List<Sample> files(List<Long> shape, JsonNode data) throws InvalidRecordException {
        if (shape.size() != 1) {
            throw new IllegalArgumentException("BYTES input must be shaped [N]: " + shape);
        }
        int n = imageCount(shape.get(0));
        List<JsonNode> values = flatten(data);
        if (values.size() != n) {
            throw new IllegalArgumentException("shape " + shape + " needs " + n + " images, got " + values.size());
        }
        List<Sample> images = new ArrayList<>(n);
        long pixels = 0;
        for (int i = 0; i < n; i++) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(values.get(i).asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("BYTES element " + i + " is not base64: " + e.getMessage());
            }
            // Counted as each is decoded: what the request holds stays within the budget and one image.
            BufferedImage image = ImageFiles.read(bytes, limits.maxImageSide());
            pixels += (long) image.getHeight() * image.getWidth();
            if (pixels > limits.maxPixelsPerRecord()) {
                throw overBudget("images 0.." + i);
            }
            int c = ImageFiles.channelsOf(image);
            images.add(new Sample(
                    "input#" + i,
                    Sample.NO_LABEL,
                    image.getHeight(),
                    image.getWidth(),
                    c,
                    ImageFiles.toPixels(image, c)));
        }
        return images;
    }

    /** N of the shape, held to the request's image limit. */
    private int imageCount(long n) {
        if (n > limits.maxImagesPerRequest()) {
            throw new RequestTooLargeException("the request holds " + n + " images, more than "
                    + "inference.limits.max-images-per-request (" + limits.maxImagesPerRequest() + ")");
        }
        return (int) n;
    }

    private RequestTooLargeException overBudget(String what) {
        return new RequestTooLargeException(what + " hold more than inference.limits.max-pixels-per-record ("
                + limits.maxPixelsPerRecord() + ") pixels");
    }

    private static List<JsonNode> flatten(JsonNode data) {
        List<JsonNode> out = new ArrayList<>();
        flatten(data, out);
        return out;
    }

    private static void flatten(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node);
        }
    }
}
