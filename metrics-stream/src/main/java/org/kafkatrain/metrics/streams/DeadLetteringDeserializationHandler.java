package org.kafkatrain.metrics.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.Topics;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A step event that does not parse never stops the stream thread: it is logged, counted and, when
 * {@code metrics.dlq.topic} is set, copied unchanged to that topic with the reason in a header.
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
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, configs.get("bootstrap.servers"));
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        }
    }

    @Override
    public DeserializationHandlerResponse handle(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        StreamCounters.MALFORMED.incrementAndGet();
        LOG.warnf(
                "malformed record %s-%d@%d skipped: %s",
                record.topic(), record.partition(), record.offset(), exception.getMessage());
        if (producer != null) {
            ProducerRecord<byte[], byte[]> copy =
                    new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers());
            copy.headers()
                    .add(
                            Topics.HEADER_DEAD_LETTER_REASON,
                            String.valueOf(exception.getMessage()).getBytes(StandardCharsets.UTF_8));
            copy.headers().add(Topics.HEADER_ORIGIN_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
            copy.headers()
                    .add(
                            Topics.HEADER_ORIGIN_PARTITION,
                            Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
            copy.headers()
                    .add(
                            Topics.HEADER_ORIGIN_OFFSET,
                            Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
            producer.send(copy, (meta, e) -> {
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
}
