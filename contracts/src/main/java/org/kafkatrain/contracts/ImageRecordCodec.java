package org.kafkatrain.contracts;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.kafkatrain.contracts.InvalidRecordException.Problem;
import org.kafkatrain.contracts.proto.ImageBatch;
import org.kafkatrain.contracts.proto.LabeledImage;
import org.kafkatrain.contracts.proto.PixelEncoding;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two encodings of a record on {@code images.train}/{@code images.val}, told apart by the content-type header:
 * <ol>
 *   <li>{@value #BATCH_CONTENT_TYPE}: a protobuf {@code ImageBatch} envelope (see {@code image_batch.proto});</li>
 *   <li>{@code image/png} or {@code image/jpeg}: one image as the whole value, its class index in the {@code label}
 *   header, so that any Kafka client (kcat included) can feed the trainer.</li>
 * </ol>
 * Decoding is total: any input yields either a {@link DecodedRecord} whose samples are all raw HWC uint8 within the
 * {@link RecordLimits}, or an {@link InvalidRecordException} naming the problem. What a record will decode to (the
 * envelope's declared shapes, each PNG or JPEG header) is checked against the limits before any pixel is decoded: a
 * few kilobytes of compressed zeros can stand for a gigabyte of pixels.
 */
public final class ImageRecordCodec {
    public static final int SCHEMA_VERSION = 1;
    public static final String BATCH_MEDIA_TYPE = "application/vnd.kafka-train.image-batch+protobuf";
    public static final String BATCH_CONTENT_TYPE = BATCH_MEDIA_TYPE + "; v=" + SCHEMA_VERSION;
    public static final String PNG = "image/png";
    public static final String JPEG = "image/jpeg";

    private final RecordLimits limits;
    private final boolean labelsRequired;

    /** A decoder for training data: every image must carry a label. */
    public ImageRecordCodec(RecordLimits limits) {
        this(limits, true);
    }

    private ImageRecordCodec(RecordLimits limits, boolean labelsRequired) {
        this.limits = limits;
        this.labelsRequired = labelsRequired;
    }

    /**
     * A decoder for images to predict: a single image may come without a {@code label} header (its sample then has
     * {@link Sample#NO_LABEL}); a label that is there is still checked.
     */
    public static ImageRecordCodec labelsOptional(RecordLimits limits) {
        return new ImageRecordCodec(limits, false);
    }

    public RecordLimits limits() {
        return limits;
    }

    /** The envelope for {@code samples}, each image stored with {@code encoding}. */
    public static byte[] encodeBatch(String dataset, List<Sample> samples, PixelEncoding encoding) {
        ImageBatch.Builder batch =
                ImageBatch.newBuilder().setSchemaVersion(SCHEMA_VERSION).setDataset(dataset);
        for (Sample s : samples) {
            batch.addImages(encodeImage(s, encoding));
        }
        return batch.build().toByteArray();
    }

    public static LabeledImage encodeImage(Sample s, PixelEncoding encoding) {
        byte[] data = switch (encoding) {
            case RAW_U8_HWC -> s.pixels();
            case PNG -> ImageFiles.encode(s.pixels(), s.height(), s.width(), s.channels(), "png");
            case JPEG -> ImageFiles.encode(s.pixels(), s.height(), s.width(), s.channels(), "jpeg");
            default -> throw new IllegalArgumentException("cannot encode as " + encoding);
        };
        return LabeledImage.newBuilder()
                .setId(s.id())
                .setLabel(s.label())
                .setHeight(s.height())
                .setWidth(s.width())
                .setChannels(s.channels())
                .setEncoding(encoding)
                // The pixels are not written after they are handed over: wrap them instead of copying each image
                // once more on the producer's thread.
                .setData(UnsafeByteOperations.unsafeWrap(data))
                .build();
    }

    /** Decodes a consumed record: its value, with its headers, its place as the id. */
    public DecodedRecord decode(ConsumerRecord<?, byte[]> record) throws InvalidRecordException {
        return decode(
                ConsumedRecords.header(record, Topics.HEADER_CONTENT_TYPE),
                ConsumedRecords.header(record, Topics.HEADER_LABEL),
                ConsumedRecords.header(record, Topics.HEADER_DATASET),
                ConsumedRecords.id(record),
                record.value());
    }

    /**
     * Decodes one record value.
     *
     * @param contentType the {@code content-type} header, or null when absent
     * @param label       the {@code label} header, or null when absent (only single-image records need it)
     * @param dataset     the {@code dataset} header, or null
     * @param id          the record's id (e.g. topic-partition@offset): a single image's, and the prefix of the ids
     *                    of batch images that carry none
     */
    public DecodedRecord decode(String contentType, String label, String dataset, String id, byte[] value)
            throws InvalidRecordException {
        if (value == null || value.length == 0) {
            throw new InvalidRecordException(Problem.EMPTY_VALUE, "record has no value");
        }
        if (value.length > limits.maxRecordBytes()) {
            throw new InvalidRecordException(
                    Problem.RECORD_TOO_LARGE, value.length + " bytes exceeds the limit of " + limits.maxRecordBytes());
        }
        if (contentType == null || contentType.isBlank()) {
            throw new InvalidRecordException(Problem.MISSING_CONTENT_TYPE, "no content-type header");
        }
        String media = mediaType(contentType);
        return switch (media) {
            case BATCH_MEDIA_TYPE -> {
                requireVersion(contentType);
                yield decodeBatch(value, id);
            }
            case PNG, JPEG ->
                new DecodedRecord(
                        dataset == null ? "" : dataset,
                        List.of(decodeSingle(label, id, value, media.equals(PNG) ? "png" : "jpeg")));
            default ->
                throw new InvalidRecordException(Problem.UNKNOWN_CONTENT_TYPE, "content-type '" + contentType + "'");
        };
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static void requireVersion(String contentType) throws InvalidRecordException {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.startsWith("v=") && !p.equals("v=" + SCHEMA_VERSION)) {
                throw new InvalidRecordException(
                        Problem.UNSUPPORTED_VERSION,
                        "content-type version " + p.substring(2) + ", this reader knows " + SCHEMA_VERSION);
            }
        }
    }

    private DecodedRecord decodeBatch(byte[] value, String recordId) throws InvalidRecordException {
        ImageBatch batch;
        try {
            batch = ImageBatch.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRecordException(Problem.MALFORMED_ENVELOPE, e.getMessage(), e);
        }
        if (batch.getSchemaVersion() != SCHEMA_VERSION) {
            throw new InvalidRecordException(
                    Problem.UNSUPPORTED_VERSION,
                    "envelope schema_version " + Integer.toUnsignedString(batch.getSchemaVersion())
                            + ", this reader knows " + SCHEMA_VERSION);
        }
        int count = batch.getImagesCount();
        if (count == 0) {
            throw new InvalidRecordException(Problem.EMPTY_BATCH, "envelope holds no images");
        }
        if (count > limits.maxImagesPerRecord()) {
            throw new InvalidRecordException(
                    Problem.TOO_MANY_IMAGES, count + " images exceeds the limit of " + limits.maxImagesPerRecord());
        }
        checkPixelBudget(batch);
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            samples.add(decodeImage(batch.getImages(i), i, recordId));
        }
        return new DecodedRecord(batch.getDataset(), samples);
    }

    /**
     * The envelope's declared shapes against the record's pixel budget, before anything is decoded; each PNG or
     * JPEG is held to its declared shape by its header. Images with shapes out of bounds are left to
     * {@link #decodeImage}, which refuses them with their own problem.
     */
    private void checkPixelBudget(ImageBatch batch) throws InvalidRecordException {
        long total = 0;
        for (int i = 0; i < batch.getImagesCount(); i++) {
            LabeledImage image = batch.getImages(i);
            if (image.getHeight() > 0
                    && image.getWidth() > 0
                    && image.getHeight() <= limits.maxImageSide()
                    && image.getWidth() <= limits.maxImageSide()) {
                long pixels = (long) image.getHeight() * image.getWidth();
                if (pixels > limits.maxPixelsPerRecord() - total) {
                    throw overBudget("images 0.." + i);
                }
                total += pixels;
            }
        }
    }

    private InvalidRecordException overBudget(String what) {
        return new InvalidRecordException(
                Problem.RECORD_TOO_LARGE,
                what + " hold more than the limit of " + limits.maxPixelsPerRecord() + " pixels per record");
    }

    private Sample decodeImage(LabeledImage image, int index, String recordId) throws InvalidRecordException {
        String where = "image " + index + (image.getId().isEmpty() ? "" : " (" + image.getId() + ")");
        int h = image.getHeight();
        int w = image.getWidth();
        int c = image.getChannels();
        if (h <= 0 || w <= 0) {
            throw new InvalidRecordException(Problem.BAD_SHAPE, where + ": " + h + "x" + w);
        }
        if (h > limits.maxImageSide() || w > limits.maxImageSide()) {
            throw new InvalidRecordException(
                    Problem.IMAGE_TOO_LARGE,
                    where + ": " + h + "x" + w + " exceeds the limit of " + limits.maxImageSide() + " px per side");
        }
        if (c != 1 && c != 3) {
            throw new InvalidRecordException(Problem.BAD_CHANNELS, where + ": " + c + " channels, expected 1 or 3");
        }
        RecordLimits.Shape expected = limits.shape();
        if (expected != null && !expected.equals(new RecordLimits.Shape(h, w, c))) {
            throw new InvalidRecordException(
                    Problem.SHAPE_MISMATCH, where + ": " + h + "x" + w + "x" + c + ", expected " + expected);
        }
        checkLabel(image.getLabel(), where);
        byte[] data = image.getData().toByteArray();
        byte[] pixels = switch (image.getEncoding()) {
            case RAW_U8_HWC -> {
                if (data.length != h * w * c) {
                    throw new InvalidRecordException(
                            Problem.PIXEL_COUNT_MISMATCH,
                            where + ": " + data.length + " bytes for " + h + "x" + w + "x" + c + " = " + h * w * c);
                }
                yield data;
            }
            case PNG, JPEG -> {
                // the declared shape is what the budget counted: the header must agree before decoding
                String format = image.getEncoding() == PixelEncoding.PNG ? "png" : "jpeg";
                BufferedImage decoded = ImageFiles.read(data, format, (height, width) -> {
                    if (height != h || width != w) {
                        throw new InvalidRecordException(
                                Problem.SHAPE_MISMATCH,
                                where + ": declared " + h + "x" + w + ", image is " + height + "x" + width);
                    }
                });
                yield ImageFiles.toPixels(decoded, c);
            }
            default ->
                throw new InvalidRecordException(
                        Problem.UNKNOWN_PIXEL_ENCODING, where + ": encoding " + image.getEncodingValue());
        };
        // An image without an id is named after its record, so that ids stay unique across the topic.
        String id = image.getId().isEmpty() ? recordId + "#" + index : image.getId();
        return new Sample(id, image.getLabel(), h, w, c, pixels);
    }

    /** @param format the one image format its content type lets through */
    private Sample decodeSingle(String label, String id, byte[] value, String format) throws InvalidRecordException {
        if (label == null && labelsRequired) {
            throw new InvalidRecordException(Problem.MISSING_LABEL, "single-image record without a 'label' header");
        }
        int classIndex = Sample.NO_LABEL;
        if (label != null) {
            try {
                classIndex = Integer.parseInt(label.trim());
            } catch (NumberFormatException e) {
                throw new InvalidRecordException(
                        Problem.BAD_LABEL, "label header '" + label + "' is not a class index");
            }
            checkLabel(classIndex, "label");
        }
        RecordLimits.Shape expected = limits.shape();
        BufferedImage decoded = ImageFiles.read(value, format, (height, width) -> {
            if (height > limits.maxImageSide() || width > limits.maxImageSide()) {
                throw new InvalidRecordException(
                        Problem.IMAGE_TOO_LARGE,
                        height + "x" + width + " exceeds the limit of " + limits.maxImageSide() + " px per side");
            }
            if ((long) height * width > limits.maxPixelsPerRecord()) {
                throw overBudget("its " + height + "x" + width + " pixels");
            }
            if (expected != null && (height != expected.height() || width != expected.width())) {
                throw new InvalidRecordException(
                        Problem.SHAPE_MISMATCH, "image is " + height + "x" + width + ", expected " + expected);
            }
        });
        int channels = ImageFiles.channelsOf(decoded);
        if (expected != null && channels != expected.channels()) {
            throw new InvalidRecordException(
                    Problem.SHAPE_MISMATCH,
                    "image is " + decoded.getHeight() + "x" + decoded.getWidth() + "x" + channels + ", expected "
                            + expected);
        }
        return new Sample(
                id,
                classIndex,
                decoded.getHeight(),
                decoded.getWidth(),
                channels,
                ImageFiles.toPixels(decoded, channels));
    }

    private void checkLabel(int label, String where) throws InvalidRecordException {
        if (label < 0 || (limits.numClasses() > 0 && label >= limits.numClasses())) {
            throw new InvalidRecordException(
                    Problem.LABEL_OUT_OF_RANGE,
                    where + ": label " + label
                            + (limits.numClasses() > 0 ? " outside [0, " + limits.numClasses() + ")" : " is negative"));
        }
    }
}
