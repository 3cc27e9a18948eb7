package org.kafkatrain.trainer.data;

import org.kafkatrain.contracts.Sample;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The labeled images of one topic, read between offsets (partition -> offset). An image source belongs to the
 * thread that opened it: that thread reads it and closes it (a Kafka consumer is not safe across threads).
 */
public interface ImageSource extends AutoCloseable {
    /** Partition -> offset of the first record still in the log. */
    Map<Integer, Long> beginning();

    /** Partition -> offset after the last record now in the log: "what the topic holds" at this moment. */
    Map<Integer, Long> end();

    /**
     * Hands every sample in [start, end) of each partition to {@code sink}, partitions in order, so that every
     * replay gives the same sequence; stops early when {@code cancelled} says so.
     *
     * @return number of samples handed on
     */
    long read(Map<Integer, Long> start, Map<Integer, Long> end, Consumer<Sample> sink, BooleanSupplier cancelled);

    /**
     * Continuous mode: reads from {@code start} across all partitions until at least {@code minSamples} samples have
     * been handed on, waiting for new data as needed.
     *
     * @return partition -> offset after the last record used: the next epoch's start
     */
    Map<Integer, Long> readAtLeast(
            Map<Integer, Long> start, long minSamples, Consumer<Sample> sink, BooleanSupplier cancelled);

    @Override
    void close();

    /** Opens a source on a topic; each call gives a new one, for the calling thread. */
    @FunctionalInterface
    interface Factory {
        ImageSource open(String clientId, String topic);
    }
}
