package org.kafkatrain.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.proto.PixelEncoding;

import java.util.List;
import java.util.Random;

/**
 * Thousands of random and mutated values through every decoder: the only acceptable outcomes are a valid result or
 * an {@link InvalidRecordException}. Anything else (an unchecked exception, an OutOfMemoryError) fails the test.
 */
class DecoderFuzzTest {
    private static final int ROUNDS = 4000;
    private final ImageRecordCodec codec =
            new ImageRecordCodec(new RecordLimits(256, 64, 256 * 1024, 256 * 256 * 64, 10, null));

    @Test
    void randomAndMutatedImageRecordsYieldOnlyTypedErrors() {
        Random random = new Random(20261126L);
        byte[] raw = ImageRecordCodec.encodeBatch(
                "ds",
                List.of(TestImages.sample("a", 3, 8, 8, 1, 1), TestImages.sample("b", 4, 6, 5, 3, 2)),
                PixelEncoding.RAW_U8_HWC);
        byte[] png =
                ImageRecordCodec.encodeBatch("ds", List.of(TestImages.gradient("p", 3, 16, 16, 3)), PixelEncoding.PNG);
        byte[] jpeg = ImageFiles.encode(TestImages.gradient("j", 0, 16, 16, 3).pixels(), 16, 16, 3, "jpeg");
        String[] types = {ImageRecordCodec.BATCH_CONTENT_TYPE, "image/png", "image/jpeg"};
        int valid = 0;
        int invalid = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] value = switch (round % 4) {
                case 0 -> randomBytes(random);
                case 1 -> mutate(raw, random);
                case 2 -> mutate(png, random);
                default -> mutate(jpeg, random);
            };
            String type = types[random.nextInt(types.length)];
            try {
                codec.decode(type, String.valueOf(random.nextInt(12) - 1), null, "fuzz", value);
                valid++;
            } catch (InvalidRecordException e) {
                assertThat(e.problem()).isNotNull();
                invalid++;
            }
        }
        assertThat(valid + invalid).isEqualTo(ROUNDS);
        assertThat(invalid).isGreaterThan(ROUNDS / 2);
    }

    @Test
    void randomAndMutatedEventsYieldOnlyTypedErrors() {
        Random random = new Random(7L);
        byte[] step = EventJson.write(new TrainingStep(
                1, TrainingStep.STEP, "run", TrainingStep.TRAIN, 0, 1, 0, 32, 2.3, 4, 15, 1e-3, 28.5, 0, 1000L, null));
        for (int round = 0; round < ROUNDS; round++) {
            byte[] value = round % 2 == 0 ? randomBytes(random) : mutate(step, random);
            try {
                EventJson.readStep(value);
            } catch (InvalidRecordException e) {
                assertThat(e.problem())
                        .isIn(
                                InvalidRecordException.Problem.MALFORMED_EVENT,
                                InvalidRecordException.Problem.UNSUPPORTED_VERSION,
                                InvalidRecordException.Problem.EMPTY_VALUE);
            }
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(600)];
        random.nextBytes(b);
        return b;
    }

    /** Flips, overwrites, truncates or extends a valid value. */
    private static byte[] mutate(byte[] source, Random random) {
        byte[] b = source.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 2 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
            default -> {
                b = java.util.Arrays.copyOf(b, b.length + 1 + random.nextInt(64));
                for (int i = source.length; i < b.length; i++) {
                    b[i] = (byte) random.nextInt(256);
                }
            }
        }
        return b;
    }
}
