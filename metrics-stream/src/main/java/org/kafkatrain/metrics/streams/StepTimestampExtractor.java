package org.kafkatrain.metrics.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.kafkatrain.contracts.TrainingStep;

/** Event time of a step is when the trainer measured it, not when the broker got it. */
public class StepTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof TrainingStep step && step.timestamp() > 0) {
            return step.timestamp();
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
