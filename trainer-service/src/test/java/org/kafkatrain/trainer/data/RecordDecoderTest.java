package org.kafkatrain.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.DecodedRecord;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.RecordLimits;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.proto.PixelEncoding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A poll's records decoded on a pool come back as the feed thread would decode them, in the records' order: raw
 * and JPEG envelopes, a corrupt record and one of another shape among them, refused with their reasons in place.
 */
class RecordDecoderTest {
    private static final ImageRecordCodec CODEC = new ImageRecordCodec(RecordLimits.DEFAULT.withNumClasses(10));

    @Test
    void aPoolDecodesAsTheFeedThreadDoesInTheRecordsOrder() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 40; i++) {
            int side = i == 17 ? 16 : 32; // one record of another shape
            PixelEncoding encoding = i % 3 == 0 ? PixelEncoding.JPEG : PixelEncoding.RAW_U8_HWC;
            List<Sample> samples = new ArrayList<>();
            for (int j = 0; j < 4; j++) {
                byte[] pixels = new byte[side * side * 3];
                random.nextBytes(pixels);
                samples.add(new Sample("s" + i + "-" + j, (i + j) % 10, side, side, 3, pixels));
            }
            byte[] value = i == 29
                    ? "not an envelope".getBytes(StandardCharsets.UTF_8)
                    : ImageRecordCodec.encodeBatch("d", samples, encoding);
            ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("t", 0, i, "k" + i, value);
            record.headers()
                    .add(
                            Topics.HEADER_CONTENT_TYPE,
                            ImageRecordCodec.BATCH_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
            records.add(record);
        }
        List<Decoded> inline = new RecordDecoder(CODEC, 32, 32, 3, null).decode(records);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Decoded> pooled;
        try {
            pooled = new RecordDecoder(CODEC, 32, 32, 3, pool).decode(records);
        } finally {
            pool.shutdownNow();
        }
        assertThat(pooled).hasSize(40);
        for (int i = 0; i < 40; i++) {
            if (i == 17 || i == 29) {
                assertThat(pooled.get(i)).as("record %d", i).isInstanceOf(Decoded.Rejected.class);
                assertThat(((Decoded.Rejected) pooled.get(i)).reason().problem())
                        .isEqualTo(((Decoded.Rejected) inline.get(i)).reason().problem());
                continue;
            }
            DecodedRecord a = ((Decoded.Accepted) inline.get(i)).content();
            DecodedRecord b = ((Decoded.Accepted) pooled.get(i)).content();
            assertThat(b.samples()).extracting(Sample::id).containsExactlyElementsOf(ids(a));
            for (int j = 0; j < 4; j++) {
                assertThat(b.samples().get(j).pixels())
                        .isEqualTo(a.samples().get(j).pixels());
            }
        }
        assertThat(((Decoded.Rejected) pooled.get(17)).reason().problem())
                .isEqualTo(InvalidRecordException.Problem.SHAPE_MISMATCH);
    }

    private static List<String> ids(DecodedRecord r) {
        return r.samples().stream().map(Sample::id).toList();
    }
}
