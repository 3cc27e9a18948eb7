package org.kafkatrain.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.RecordLimits;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.testing.TopicContents;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads an image topic back and decodes it with the contract codec. */
public final class TopicReader {
    private TopicReader() {}

    public static List<ConsumerRecord<String, byte[]>> records(String bootstrap, String topic) {
        return TopicContents.readAll(bootstrap, topic);
    }

    public static List<Sample> samples(String bootstrap, String topic) throws InvalidRecordException {
        ImageRecordCodec codec = new ImageRecordCodec(RecordLimits.DEFAULT);
        List<Sample> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records(bootstrap, topic)) {
            Header type = r.headers().lastHeader(Topics.HEADER_CONTENT_TYPE);
            out.addAll(codec.decode(new String(type.value(), StandardCharsets.UTF_8), null, null, r.key(), r.value())
                    .samples());
        }
        return out;
    }
}
