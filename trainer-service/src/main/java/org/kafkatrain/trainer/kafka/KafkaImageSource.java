package org.kafkatrain.trainer.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.DatasetRecords;
import org.kafkatrain.contracts.DecodedRecord;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.OffsetRange;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.trainer.data.DeadLetterLedger;
import org.kafkatrain.trainer.data.Decoded;
import org.kafkatrain.trainer.data.ImageSource;
import org.kafkatrain.trainer.data.IntakeTally;
import org.kafkatrain.trainer.data.RecordDecoder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * An {@link ImageSource} on a Kafka topic: a plain consumer with assign/seek, partition by partition, decoding with
 * the contract codec. A record that breaks the contract, or whose images are not the run's shape, goes to the
 * dead-letter topic with its reason (once per run, see {@link DeadLetterLedger}) and is counted; reading goes on.
 * With a dataset's {@link DatasetRecords}, the source holds only those records: its offsets are theirs, the gaps
 * between their ranges (other datasets' records on a shared topic) are sought over, not read.
 */
public final class KafkaImageSource implements ImageSource {
    private static final Logger LOG = Logger.getLogger(KafkaImageSource.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaClients kafka;
    private final String topic;
    private final RecordDecoder decoder;
    /** Null on a replica other than rank 0, which reads the same records: rank 0 dead-letters them. */
    private final DeadLetterPublisher deadLetters;

    private final DeadLetterLedger ledger;
    private final IntakeTally tally;
    private final KafkaPatience patience;
    /** The dataset's records on this topic, or null: the whole topic. */
    private final DatasetRecords pinned;
    /** The pinned ranges by partition, first offset -> offset after the last: a lookup per record, not a scan. */
    private final Map<Integer, NavigableMap<Long, Long>> pinnedRanges = new HashMap<>();

    /** @param pinned the records a dataset pins on {@code topic}, or null for all of the topic's records */
    public KafkaImageSource(
            KafkaClients kafka,
            String clientId,
            String topic,
            DatasetRecords pinned,
            RecordDecoder decoder,
            DeadLetterPublisher deadLetters,
            DeadLetterLedger ledger,
            IntakeTally tally,
            KafkaPatience patience) {
        if (pinned != null && !pinned.topic().equals(topic)) {
            throw new IllegalArgumentException("records of " + pinned.topic() + " cannot select from " + topic);
        }
        this.pinned = pinned;
        if (pinned != null) {
            for (OffsetRange r : pinned.ranges()) {
                pinnedRanges
                        .computeIfAbsent(r.partition(), p -> new TreeMap<>())
                        .put(r.from(), r.to());
            }
        }
        this.tally = tally;
        this.patience = patience;
        this.kafka = kafka;
        this.consumer = kafka.consumer(clientId);
        this.topic = topic;
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.ledger = ledger;
    }

    @Override
    public Map<Integer, Long> beginning() {
        if (pinned != null) {
            return pinned.start();
        }
        return patience.call("first offsets of " + topic, () -> byPartition(consumer.beginningOffsets(partitions())));
    }

    @Override
    public Map<Integer, Long> end() {
        if (pinned != null) {
            return pinned.end();
        }
        return patience.call("end offsets of " + topic, () -> byPartition(consumer.endOffsets(partitions())));
    }

    @Override
    public long read(
            Map<Integer, Long> start, Map<Integer, Long> end, Consumer<Sample> sink, BooleanSupplier cancelled) {
        long samples = 0;
        for (TopicPartition tp : partitions()) {
            long from = start.getOrDefault(tp.partition(), 0L);
            long to = end.getOrDefault(tp.partition(), from);
            if (from >= to) {
                continue;
            }
            consumer.assign(List.of(tp));
            consumer.seek(tp, from);
            while (!cancelled.getAsBoolean()) {
                long next = nextOfTheSource(tp.partition(), consumer.position(tp));
                if (next >= to) {
                    break;
                }
                if (next > consumer.position(tp)) {
                    consumer.seek(tp, next); // over another dataset's records
                }
                List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record :
                        poll(Duration.ofMillis(200)).records(tp)) {
                    if (record.offset() >= to) {
                        break;
                    }
                    if (pinned == null || nextOfTheSource(record.partition(), record.offset()) == record.offset()) {
                        records.add(record);
                    }
                }
                List<Decoded> decoded = decoder.decode(records);
                for (int i = 0; i < records.size(); i++) {
                    samples += deliver(records.get(i), decoded.get(i), sink);
                }
            }
        }
        return samples;
    }

    @Override
    public Map<Integer, Long> readAtLeast(
            Map<Integer, Long> start, long minSamples, Consumer<Sample> sink, BooleanSupplier cancelled) {
        if (pinned != null) {
            throw new IllegalStateException("a dataset's records are a fixed set; continuous mode follows its topic");
        }
        List<TopicPartition> partitions = partitions();
        consumer.assign(partitions);
        Map<Integer, Long> next = new HashMap<>(start);
        for (TopicPartition tp : partitions) {
            consumer.seek(tp, start.getOrDefault(tp.partition(), 0L));
        }
        long samples = 0;
        while (samples < minSamples && !cancelled.getAsBoolean()) {
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            poll(Duration.ofMillis(500)).forEach(records::add);
            List<Decoded> decoded = decoder.decode(records);
            for (int i = 0; i < records.size() && samples < minSamples; i++) {
                ConsumerRecord<String, byte[]> record = records.get(i);
                samples += deliver(record, decoded.get(i), sink);
                next.put(record.partition(), record.offset() + 1);
            }
        }
        return next;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /**
     * A poll that refuses to skip: the consumer resets no offset by itself ({@code auto.offset.reset=none}), so a
     * position retention has deleted fails the epoch with the reason instead of jumping to the log end and
     * training on fewer samples than the checkpoint promises.
     */
    private ConsumerRecords<String, byte[]> poll(Duration timeout) {
        try {
            return consumer.poll(timeout);
        } catch (OffsetOutOfRangeException e) {
            Map<TopicPartition, Long> logStart =
                    consumer.beginningOffsets(e.offsetOutOfRangePartitions().keySet());
            StringBuilder where = new StringBuilder();
            e.offsetOutOfRangePartitions()
                    .forEach((tp, offset) -> where.append(
                            String.format("%s offset %d (the log now starts at %d) ", tp, offset, logStart.get(tp))));
            throw new IllegalStateException(
                    "records this epoch needs are no longer in the log: " + where
                            + "- retention deleted them; the epoch cannot be replayed as checkpointed (raise the topic's"
                            + " retention.ms / retention.bytes, or start a new run)",
                    e);
        }
    }

    /** The first offset at or after {@code offset} that this source holds, or Long.MAX_VALUE past its last. */
    private long nextOfTheSource(int partition, long offset) {
        if (pinned == null) {
            return offset;
        }
        NavigableMap<Long, Long> ranges = pinnedRanges.get(partition);
        if (ranges == null) {
            return Long.MAX_VALUE;
        }
        Map.Entry<Long, Long> covering = ranges.floorEntry(offset);
        if (covering != null && covering.getValue() > offset) {
            return offset;
        }
        Long next = ranges.ceilingKey(offset);
        return next == null ? Long.MAX_VALUE : next;
    }

    /** Hands a decoded record's samples on, or dead-letters it (once per run) with the reason it was refused. */
    private int deliver(ConsumerRecord<String, byte[]> record, Decoded result, Consumer<Sample> sink) {
        if (result instanceof Decoded.Rejected rejected) {
            InvalidRecordException e = rejected.reason();
            tally.rejected(record.topic(), e.problem());
            if (ledger.firstLook(record.topic(), record.partition(), record.offset())) {
                deadLetter(record, e);
            }
            return 0;
        }
        DecodedRecord decoded = ((Decoded.Accepted) result).content();
        tally.accepted(record.topic(), decoded.samples().size());
        ledger.firstLook(record.topic(), record.partition(), record.offset());
        decoded.samples().forEach(sink);
        return decoded.samples().size();
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, InvalidRecordException e) {
        ledger.rejectedOne();
        LOG.warnf("rejected %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
        if (deadLetters == null) {
            return; // another replica of the run reads the same record and dead-letters it
        }
        try {
            // Wait for the broker's ack: a rejected record is never dropped silently.
            deadLetters
                    .reject(record, e.problem().name(), e.getMessage())
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + record.offset(), ie);
        } catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException(
                    "cannot write dead letter for " + record.topic() + "-" + record.partition() + "@" + record.offset(),
                    ex);
        }
    }

    private List<TopicPartition> partitions() {
        List<TopicPartition> partitions =
                patience.call("partitions of " + topic, () -> kafka.partitions(consumer, topic));
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return partitions;
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        Map<Integer, Long> out = new HashMap<>();
        offsets.forEach((tp, o) -> out.put(tp.partition(), o));
        return out;
    }
}
