package org.kafkatrain.contracts;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.google.protobuf.ByteString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kafkatrain.contracts.InvalidRecordException.Problem;
import org.kafkatrain.contracts.proto.ImageBatch;
import org.kafkatrain.contracts.proto.LabeledImage;
import org.kafkatrain.contracts.proto.PixelEncoding;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** Every way a record can break its contract, each with the problem the decoder must name. */
class MalformedRecordTest {
    private static final String BATCH = ImageRecordCodec.BATCH_CONTENT_TYPE;
    private static final RecordLimits LIMITS = new RecordLimits(64, 8, 64 * 1024, 64 * 64 * 8, 10, null);

    static Stream<Arguments> malformed() {
        byte[] png = ImageFiles.encode(new byte[8 * 8], 8, 8, 1, "png");
        byte[] jpeg = ImageFiles.encode(new byte[8 * 8 * 3], 8, 8, 3, "jpeg");
        byte[] bigPng = ImageFiles.encode(new byte[100 * 10], 100, 10, 1, "png");
        return Stream.of(
                arguments("null value", BATCH, null, null, Problem.EMPTY_VALUE),
                arguments("empty value", BATCH, null, new byte[0], Problem.EMPTY_VALUE),
                arguments(
                        "value over the record limit",
                        BATCH,
                        null,
                        new byte[LIMITS.maxRecordBytes() + 1],
                        Problem.RECORD_TOO_LARGE),
                arguments("no content type", null, null, valid(), Problem.MISSING_CONTENT_TYPE),
                arguments("blank content type", "  ", null, valid(), Problem.MISSING_CONTENT_TYPE),
                arguments("unknown content type", "text/plain", null, valid(), Problem.UNKNOWN_CONTENT_TYPE),
                arguments(
                        "future content-type version",
                        ImageRecordCodec.BATCH_MEDIA_TYPE + "; v=2",
                        null,
                        valid(),
                        Problem.UNSUPPORTED_VERSION),
                arguments(
                        "garbage bytes as envelope",
                        BATCH,
                        null,
                        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
                        Problem.MALFORMED_ENVELOPE),
                arguments(
                        "truncated envelope",
                        BATCH,
                        null,
                        Arrays.copyOf(valid(), valid().length - 5),
                        Problem.MALFORMED_ENVELOPE),
                arguments(
                        "future envelope version",
                        BATCH,
                        null,
                        batch(b -> b.setSchemaVersion(7)),
                        Problem.UNSUPPORTED_VERSION),
                arguments(
                        "envelope without images",
                        BATCH,
                        null,
                        batch(ImageBatch.Builder::clearImages),
                        Problem.EMPTY_BATCH),
                arguments(
                        "more images than allowed",
                        BATCH,
                        null,
                        batch(b -> {
                            for (int i = 0; i < 8; i++) {
                                b.addImages(image(UnaryOperator.identity()));
                            }
                            return b;
                        }),
                        Problem.TOO_MANY_IMAGES),
                arguments("negative height", BATCH, null, withImage(i -> i.setHeight(-4)), Problem.BAD_SHAPE),
                arguments("zero width", BATCH, null, withImage(i -> i.setWidth(0)), Problem.BAD_SHAPE),
                arguments(
                        "huge sides",
                        BATCH,
                        null,
                        withImage(i -> i.setHeight(Integer.MAX_VALUE).setWidth(Integer.MAX_VALUE)),
                        Problem.IMAGE_TOO_LARGE),
                arguments("four channels", BATCH, null, withImage(i -> i.setChannels(4)), Problem.BAD_CHANNELS),
                arguments(
                        "pixel count short of the shape",
                        BATCH,
                        null,
                        withImage(i -> i.setData(ByteString.copyFrom(new byte[15]))),
                        Problem.PIXEL_COUNT_MISMATCH),
                arguments(
                        "pixel count beyond the shape",
                        BATCH,
                        null,
                        withImage(i -> i.setData(ByteString.copyFrom(new byte[17]))),
                        Problem.PIXEL_COUNT_MISMATCH),
                arguments(
                        "unspecified pixel encoding",
                        BATCH,
                        null,
                        withImage(i -> i.setEncoding(PixelEncoding.PIXEL_ENCODING_UNSPECIFIED)),
                        Problem.UNKNOWN_PIXEL_ENCODING),
                arguments(
                        "pixel encoding from the future",
                        BATCH,
                        null,
                        withImage(i -> i.setEncodingValue(42)),
                        Problem.UNKNOWN_PIXEL_ENCODING),
                arguments("negative label", BATCH, null, withImage(i -> i.setLabel(-1)), Problem.LABEL_OUT_OF_RANGE),
                arguments(
                        "label past the class count",
                        BATCH,
                        null,
                        withImage(i -> i.setLabel(10)),
                        Problem.LABEL_OUT_OF_RANGE),
                arguments(
                        "PNG declared, garbage stored",
                        BATCH,
                        null,
                        withImage(i -> i.setEncoding(PixelEncoding.PNG).setData(ByteString.copyFromUtf8("not a png"))),
                        Problem.CORRUPT_IMAGE),
                arguments(
                        "PNG whose size differs from the declared shape",
                        BATCH,
                        null,
                        withImage(i -> i.setEncoding(PixelEncoding.PNG).setData(ByteString.copyFrom(png))),
                        Problem.SHAPE_MISMATCH),
                arguments(
                        "truncated JPEG in envelope",
                        BATCH,
                        null,
                        withImage(i -> i.setHeight(8)
                                .setWidth(8)
                                .setChannels(3)
                                .setEncoding(PixelEncoding.JPEG)
                                .setData(ByteString.copyFrom(Arrays.copyOf(jpeg, 40)))),
                        Problem.CORRUPT_IMAGE),
                arguments("single PNG without label", "image/png", null, png, Problem.MISSING_LABEL),
                arguments("single PNG with non-numeric label", "image/png", "shirt", png, Problem.BAD_LABEL),
                arguments("single PNG with label out of range", "image/png", "12", png, Problem.LABEL_OUT_OF_RANGE),
                arguments(
                        "single image that is garbage",
                        "image/jpeg",
                        "1",
                        new byte[] {1, 2, 3, 4, 5, 6, 7, 8},
                        Problem.CORRUPT_IMAGE),
                arguments(
                        "single truncated PNG",
                        "image/png",
                        "1",
                        Arrays.copyOf(png, png.length / 2),
                        Problem.CORRUPT_IMAGE),
                arguments("single PNG larger than the side limit", "image/png", "1", bigPng, Problem.IMAGE_TOO_LARGE));
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("malformed")
    void decoderNamesTheProblem(String name, String contentType, String label, byte[] value, Problem expected) {
        ImageRecordCodec codec = new ImageRecordCodec(LIMITS);
        assertThatThrownBy(() -> codec.decode(contentType, label, null, "id", value))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.problem())
                                .isEqualTo(expected));
    }

    private static LabeledImage image(UnaryOperator<LabeledImage.Builder> change) {
        return change.apply(LabeledImage.newBuilder()
                        .setId("img")
                        .setLabel(1)
                        .setHeight(4)
                        .setWidth(4)
                        .setChannels(1)
                        .setEncoding(PixelEncoding.RAW_U8_HWC)
                        .setData(ByteString.copyFrom(new byte[16])))
                .build();
    }

    private static byte[] batch(UnaryOperator<ImageBatch.Builder> change) {
        return change.apply(ImageBatch.newBuilder()
                        .setSchemaVersion(1)
                        .setDataset("ds")
                        .addImages(image(UnaryOperator.identity())))
                .build()
                .toByteArray();
    }

    private static byte[] withImage(UnaryOperator<LabeledImage.Builder> change) {
        return ImageBatch.newBuilder()
                .setSchemaVersion(1)
                .setDataset("ds")
                .addImages(image(change))
                .build()
                .toByteArray();
    }

    private static byte[] valid() {
        return batch(UnaryOperator.identity());
    }
}
