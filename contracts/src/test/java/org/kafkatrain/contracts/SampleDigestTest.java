package org.kafkatrain.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.proto.PixelEncoding;

import java.util.List;
import java.util.stream.IntStream;

class SampleDigestTest {
    private static long sum(List<String> ids) {
        return ids.stream().mapToLong(SampleDigest::of).sum();
    }

    @Test
    void aSetsDigestIgnoresOrderButNotADuplicateInPlaceOfAMissingSample() {
        List<String> ids = IntStream.range(0, 1000)
                .mapToObj(i -> String.format("fashion-mnist/train/%05d", i))
                .toList();
        List<String> reversed = new java.util.ArrayList<>(ids);
        java.util.Collections.reverse(reversed);
        List<String> oneTwiceOneMissing = new java.util.ArrayList<>(ids);
        oneTwiceOneMissing.set(999, ids.get(0));

        assertThat(sum(reversed)).isEqualTo(sum(ids));
        assertThat(sum(oneTwiceOneMissing)).isNotEqualTo(sum(ids));
        assertThat(SampleDigest.parse(SampleDigest.hex(sum(ids)))).isEqualTo(sum(ids));
        assertThat(SampleDigest.hex(1)).isEqualTo("0000000000000001");
    }

    @Test
    void batchImagesWithoutIdsAreNamedAfterTheirRecord() throws InvalidRecordException {
        ImageRecordCodec codec = new ImageRecordCodec(RecordLimits.DEFAULT);
        Sample anonymous = new Sample("", 1, 1, 1, 1, new byte[] {7});
        byte[] value = ImageRecordCodec.encodeBatch("d", List.of(anonymous, anonymous), PixelEncoding.RAW_U8_HWC);

        DecodedRecord decoded = codec.decode(ImageRecordCodec.BATCH_CONTENT_TYPE, null, null, "t-0@42", value);

        assertThat(decoded.samples()).extracting(Sample::id).containsExactly("t-0@42#0", "t-0@42#1");
    }
}
