package org.kafkatrain.trainer.kafka;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.Topics;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Forwards a rejected record to the dead-letter topic unchanged (key, value, headers), adding the reason and where
 * it came from. The returned stage completes when the broker has it, so the reader can wait before moving on.
 * <p>
 * A record too large for the dead-letter producer (a topic that allows bigger records than the trainer accepts)
 * goes without its value, with {@code dead-letter-value-omitted: <bytes>}: the value stays in the source topic at
 * the origin offset, and the reason still reaches the DLQ instead of failing the run.
 */
@ApplicationScoped
public class DeadLetterPublisher {
    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);
    /** More than a record batch's header and a record's varints take. */
    private static final int FRAMING_BYTES = 1024;

    @Inject
    @Channel("dead-letters")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
    Emitter<byte[]> emitter;

    @ConfigProperty(name = "mp.messaging.outgoing.dead-letters.max.request.size")
    int maxRequestSize;

    public CompletionStage<Void> reject(ConsumerRecord<String, byte[]> record, String problem, String reason) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            headers.add(h);
        }
        headers.add(Topics.HEADER_DEAD_LETTER_PROBLEM, problem.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.HEADER_DEAD_LETTER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.HEADER_ORIGIN_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(
                Topics.HEADER_ORIGIN_PARTITION,
                Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.HEADER_ORIGIN_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> meta = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        if (!fits(record.key(), value, headers)) {
            headers.add(
                    Topics.HEADER_DEAD_LETTER_VALUE_OMITTED,
                    Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
            value = new byte[0];
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        emitter.send(Message.of(value)
                .addMetadata(meta)
                .withAck(() -> {
                    done.complete(null);
                    return done;
                })
                .withNack(e -> {
                    LOG.errorf(
                            e,
                            "dead letter for %s-%d@%d not delivered",
                            record.topic(),
                            record.partition(),
                            record.offset());
                    done.completeExceptionally(e);
                    return CompletableFuture.completedFuture(null);
                }));
        return done;
    }

    /** Whether the record, with room for the batch and record framing, stays within the producer's request size. */
    private boolean fits(String key, byte[] value, RecordHeaders headers) {
        long size = FRAMING_BYTES + value.length + (key == null ? 0 : key.length() * 4L);
        for (Header h : headers) {
            size += h.key().length() * 4L + (h.value() == null ? 0 : h.value().length);
        }
        return size <= maxRequestSize;
    }
}
