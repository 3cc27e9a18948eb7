package org.kafkatrain.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kafkatrain.contracts.InvalidRecordException.Problem;
import org.kafkatrain.contracts.proto.ImageBatch;
import org.kafkatrain.contracts.proto.LabeledImage;
import org.kafkatrain.contracts.proto.PixelEncoding;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

class ImageRecordCodecTest {
    private final ImageRecordCodec codec = new ImageRecordCodec(RecordLimits.DEFAULT.withNumClasses(10));

    @Test
    void rawBatchRoundTripsBitExactly() throws InvalidRecordException {
        List<Sample> samples =
                List.of(TestImages.sample("a", 0, 28, 28, 1, 1), TestImages.sample("b", 9, 32, 24, 3, 2));
        byte[] value = ImageRecordCodec.encodeBatch("ds", samples, PixelEncoding.RAW_U8_HWC);

        DecodedRecord decoded = codec.decode(ImageRecordCodec.BATCH_CONTENT_TYPE, null, null, "x", value);

        assertThat(decoded.dataset()).isEqualTo("ds");
        assertThat(decoded.samples()).hasSize(2);
        for (int i = 0; i < samples.size(); i++) {
            Sample in = samples.get(i);
            Sample out = decoded.samples().get(i);
            assertThat(out.id()).isEqualTo(in.id());
            assertThat(out.label()).isEqualTo(in.label());
            assertThat(new int[] {out.height(), out.width(), out.channels()})
                    .containsExactly(in.height(), in.width(), in.channels());
            assertThat(out.pixels()).isEqualTo(in.pixels());
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = PixelEncoding.class,
            names = {"PNG", "JPEG"})
    void compressedBatchRoundTrips(PixelEncoding encoding) throws InvalidRecordException {
        Sample gray = TestImages.gradient("g", 3, 20, 30, 1);
        Sample rgb = TestImages.gradient("c", 4, 16, 16, 3);
        byte[] value = ImageRecordCodec.encodeBatch("ds", List.of(gray, rgb), encoding);

        List<Sample> out = codec.decode(ImageRecordCodec.BATCH_CONTENT_TYPE, null, null, "x", value)
                .samples();

        // PNG is lossless; baseline JPEG at quality 0.75 stays within a few levels on smooth images.
        int tolerance = encoding == PixelEncoding.PNG ? 0 : 12;
        assertClose(out.get(0), gray, tolerance);
        assertClose(out.get(1), rgb, tolerance);
    }

    @Test
    void singlePngWithLabelHeaderDecodes() throws InvalidRecordException {
        Sample rgb = TestImages.sample("ignored", 0, 12, 10, 3, 7);
        byte[] png = ImageFiles.encode(rgb.pixels(), 12, 10, 3, "png");

        DecodedRecord decoded = codec.decode("image/png", "7", "mine", "images.train-0@5", png);

        Sample s = decoded.samples().get(0);
        assertThat(decoded.dataset()).isEqualTo("mine");
        assertThat(s.id()).isEqualTo("images.train-0@5");
        assertThat(s.label()).isEqualTo(7);
        assertThat(s.channels()).isEqualTo(3);
        assertThat(s.pixels()).isEqualTo(rgb.pixels());
    }

    @Test
    void singleGrayscalePngKeepsOneChannel() throws InvalidRecordException {
        Sample gray = TestImages.sample("g", 0, 28, 28, 1, 3);
        byte[] png = ImageFiles.encode(gray.pixels(), 28, 28, 1, "png");

        Sample s = codec.decode("IMAGE/PNG", " 2 ", null, "id", png).samples().get(0);

        assertThat(s.channels()).isEqualTo(1);
        assertThat(s.pixels()).isEqualTo(gray.pixels());
    }

    @Test
    void versionParameterOfTheCurrentVersionIsAccepted() throws InvalidRecordException {
        byte[] value = ImageRecordCodec.encodeBatch(
                "ds", List.of(TestImages.sample("a", 1, 2, 2, 1, 1)), PixelEncoding.RAW_U8_HWC);
        assertThat(codec.decode(ImageRecordCodec.BATCH_MEDIA_TYPE, null, null, "x", value)
                        .samples())
                .hasSize(1);
        assertThat(codec.decode(ImageRecordCodec.BATCH_MEDIA_TYPE + ";v=1", null, null, "x", value)
                        .samples())
                .hasSize(1);
    }

    @Test
    void aSmallRecordOfLargeBlankImagesIsRefusedBeforeItsPixelsAreDecoded() throws InvalidRecordException {
        // The record: ~2 MB of all-zero 1024x1024 PNGs would hold ~2 GB of pixels once decoded.
        byte[] blank = ImageFiles.encode(new byte[1024 * 1024], 1024, 1024, 1, "png");
        LabeledImage image = declaredPng(1024, 1024, blank);
        int count = Math.min(1800, (RecordLimits.DEFAULT.maxRecordBytes() - 64) / (blank.length + 16));
        byte[] value = envelope(Collections.nCopies(count, image));
        assertThat(count).as("images in a record under the byte limit").isGreaterThan(1000);

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> codec.decode(ImageRecordCodec.BATCH_CONTENT_TYPE, null, null, "x", value))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.RECORD_TOO_LARGE))
                .hasMessageContaining("4194304");
        assertThat((System.nanoTime() - t0) / 1e9).as("seconds to refuse").isLessThan(1);
    }

    @Test
    void thePixelBudgetIsCheckedFromTheHeaderNotFromDecodedPixels() {
        // Truncated after the header: a decoder that decoded first would call them corrupt, not too large.
        byte[] png = ImageFiles.encode(new byte[64 * 64], 64, 64, 1, "png");
        byte[] headerOnly = Arrays.copyOf(png, 40);
        ImageRecordCodec small = new ImageRecordCodec(new RecordLimits(1024, 16, 1 << 20, 64 * 64 - 1, 10, null));

        assertThatThrownBy(() -> small.decode("image/png", "1", null, "x", headerOnly))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.RECORD_TOO_LARGE));
        byte[] batch = envelope(List.of(declaredPng(64, 64, headerOnly)));
        assertThatThrownBy(() -> small.decode(ImageRecordCodec.BATCH_CONTENT_TYPE, null, null, "x", batch))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.RECORD_TOO_LARGE));
    }

    @Test
    void anExpectedShapeRefusesOtherImagesUndecoded() throws InvalidRecordException {
        ImageRecordCodec mnist =
                new ImageRecordCodec(RecordLimits.DEFAULT.withNumClasses(10).withShape(28, 28, 1));
        byte[] png = ImageFiles.encode(new byte[64 * 64], 64, 64, 1, "png");
        byte[] headerOnly = Arrays.copyOf(png, 40);
        byte[] batch = envelope(List.of(declaredPng(64, 64, headerOnly)));

        assertThatThrownBy(() -> mnist.decode(ImageRecordCodec.BATCH_CONTENT_TYPE, null, null, "x", batch))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.SHAPE_MISMATCH))
                .hasMessageContaining("28x28x1");
        assertThatThrownBy(() -> mnist.decode("image/png", "1", null, "x", headerOnly))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.SHAPE_MISMATCH));
        byte[] rgb = ImageFiles.encode(new byte[28 * 28 * 3], 28, 28, 3, "png");
        assertThatThrownBy(() -> mnist.decode("image/png", "1", null, "x", rgb))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.SHAPE_MISMATCH));
        Sample fits = TestImages.sample("ok", 2, 28, 28, 1, 5);
        assertThat(mnist.decode(
                                ImageRecordCodec.BATCH_CONTENT_TYPE,
                                null,
                                null,
                                "x",
                                ImageRecordCodec.encodeBatch("ds", List.of(fits), PixelEncoding.PNG))
                        .samples())
                .singleElement()
                .satisfies(s -> assertThat(s.pixels()).isEqualTo(fits.pixels()));
    }

    /** A PNG in an envelope image, declared {@code height x width x 1}. */
    private static LabeledImage declaredPng(int height, int width, byte[] png) {
        return LabeledImage.newBuilder()
                .setLabel(1)
                .setHeight(height)
                .setWidth(width)
                .setChannels(1)
                .setEncoding(PixelEncoding.PNG)
                .setData(ByteString.copyFrom(png))
                .build();
    }

    private static byte[] envelope(List<LabeledImage> images) {
        return ImageBatch.newBuilder()
                .setSchemaVersion(1)
                .addAllImages(images)
                .build()
                .toByteArray();
    }

    private static void assertClose(Sample actual, Sample expected, int tolerance) {
        assertThat(actual.height()).isEqualTo(expected.height());
        assertThat(actual.width()).isEqualTo(expected.width());
        assertThat(actual.channels()).isEqualTo(expected.channels());
        assertThat(actual.label()).isEqualTo(expected.label());
        int worst = 0;
        for (int i = 0; i < expected.pixels().length; i++) {
            worst = Math.max(worst, Math.abs((actual.pixels()[i] & 0xff) - (expected.pixels()[i] & 0xff)));
        }
        assertThat(worst).isLessThanOrEqualTo(tolerance);
    }

    @Test
    void theDeclaredContentTypeIsTheOnlyFormatDecoded() throws Exception {
        // a BMP (or a JPEG) sent as image/png was decoded by whichever ImageIO codec claimed it
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(
                new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "bmp", out);
        assertThatThrownBy(() -> codec.decode("image/png", "1", null, "id", out.toByteArray()))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("a bmp image where png was declared");
        byte[] jpeg = ImageFiles.encode(new byte[64], 8, 8, 1, "jpeg");
        assertThatThrownBy(() -> codec.decode("image/png", "1", null, "id", jpeg))
                .hasMessageContaining("where png was declared");
        assertThat(codec.decode("image/jpeg", "1", null, "id", jpeg).samples()).hasSize(1);
    }
}
