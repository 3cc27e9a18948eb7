package org.kafkatrain.metrics.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.security.KafkaSecurity;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A step event that does not parse, or that {@link StepDeserializer} refuses, never stops the stream thread: it is
 * logged, counted (malformed or invalid) and, when {@code metrics.dlq.topic} is set, copied unchanged to that topic
 * with the reason in a header.
 */
public class DeadLetteringDeserializationHandler implements DeserializationExceptionHandler {
    static final String DLQ_TOPIC_CONFIG = "metrics.dlq.topic";
    private static final Logger LOG = Logger.getLogger(DeadLetteringDeserializationHandler.class);

    private KafkaProducer<byte[], byte[]> producer;
    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object dlq = configs.get(DLQ_TOPIC_CONFIG);
        if (dlq != null && !dlq.toString().isBlank()) {
            topic = dlq.toString();
            producer =
                    new KafkaProducer<>(producerConfig(configs), new ByteArraySerializer(), new ByteArraySerializer());
        }
    }

    /**
     * The dead-letter producer's settings: the stream's cluster, and its security settings, without which a secured
     * cluster refuses the producer and every dead letter is lost.
     */
    static Map<String, Object> producerConfig(Map<String, ?> streamsConfig) {
        return KafkaSecurity.with(
                new HashMap<>(streamsConfig),
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        streamsConfig.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true));
    }

    @Override
    public DeserializationHandlerResponse handle(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        boolean refused = exception instanceof StepDeserializer.Refused;
        (refused ? StreamCounters.INVALID : StreamCounters.MALFORMED).incrementAndGet();
        LOG.warnf(
                "%s record %s-%d@%d skipped: %s",
                refused ? "refused" : "malformed",
                record.topic(),
                record.partition(),
                record.offset(),
                exception.getMessage());
        if (producer != null) {
            producer.send(deadLetter(topic, record, exception), (meta, e) -> {
                if (e != null) {
                    LOG.errorf(
                            e,
                            "dead letter for %s-%d@%d not written",
                            record.topic(),
                            record.partition(),
                            record.offset());
                }
            });
        }
        return DeserializationHandlerResponse.CONTINUE;
    }

    /** {@code record} unchanged, for {@code topic}, with the reason it was set aside and where it came from. */
    static ProducerRecord<byte[], byte[]> deadLetter(
            String topic, ConsumerRecord<byte[], byte[]> record, Exception reason) {
        ProducerRecord<byte[], byte[]> copy =
                new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers());
        copy.headers()
                .add(
                        Topics.HEADER_DEAD_LETTER_REASON,
                        String.valueOf(reason.getMessage()).getBytes(StandardCharsets.UTF_8));
        copy.headers().add(Topics.HEADER_ORIGIN_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        copy.headers()
                .add(
                        Topics.HEADER_ORIGIN_PARTITION,
                        Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        copy.headers()
                .add(Topics.HEADER_ORIGIN_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        return copy;
    }
}
