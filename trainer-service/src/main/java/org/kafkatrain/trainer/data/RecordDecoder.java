package org.kafkatrain.trainer.data;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.kafkatrain.contracts.DecodedRecord;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Records to samples for a run's image shape: the envelope and its images decoded (a JPEG or PNG decoded, raw
 * pixels checked), and each image's shape checked. A poll's records are decoded on a pool when there is one,
 * their results handed back in the records' order, so what the shuffle sees does not depend on the thread count.
 */
public final class RecordDecoder {
    private final ImageRecordCodec codec;
    private final int height;
    private final int width;
    private final int channels;
    private final ExecutorService pool;

    /** @param pool decoder threads, or null to decode on the reading thread */
    public RecordDecoder(ImageRecordCodec codec, int height, int width, int channels, ExecutorService pool) {
        this.codec = codec;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.pool = pool;
    }

    /** Each record's samples, or why it is refused, in the records' order. */
    public List<Decoded> decode(List<ConsumerRecord<String, byte[]>> records) {
        List<Decoded> out = new ArrayList<>(records.size());
        if (pool == null || records.size() < 2) {
            records.forEach(r -> out.add(decode(r)));
            return out;
        }
        List<Callable<Decoded>> work = new ArrayList<>(records.size());
        records.forEach(r -> work.add(() -> decode(r)));
        try {
            for (Future<Decoded> f : pool.invokeAll(work)) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("decoding failed: " + e.getCause(), e.getCause());
        }
        return out;
    }

    private Decoded decode(ConsumerRecord<String, byte[]> record) {
        try {
            DecodedRecord decoded = codec.decode(record);
            for (Sample s : decoded.samples()) {
                if (s.height() != height || s.width() != width || s.channels() != channels) {
                    throw new InvalidRecordException(
                            InvalidRecordException.Problem.SHAPE_MISMATCH,
                            s.id() + " is " + s.height() + "x" + s.width() + "x" + s.channels()
                                    + ", this run trains on " + height + "x" + width + "x" + channels);
                }
            }
            return new Decoded.Accepted(decoded);
        } catch (InvalidRecordException e) {
            return new Decoded.Rejected(e);
        }
    }
}
