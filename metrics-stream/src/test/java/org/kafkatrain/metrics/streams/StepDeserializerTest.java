package org.kafkatrain.metrics.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.EventSerdes;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.TrainingStep;

import java.nio.charset.StandardCharsets;

class StepDeserializerTest {
    @Test
    void aRefusedStepIsDeadLetteredUnchangedWithItsReason() {
        byte[] value = EventSerdes.trainingStep()
                .serializer()
                .serialize(
                        "training.steps", TopologyTest.step("<img src=x onerror=alert(1)>", 1, 0, 1_000, 10, 1, 1, 1));
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>("training.steps", 2, 7, "k".getBytes(StandardCharsets.UTF_8), value);
        StepDeserializer.Refused refused = catchThrowableOfType(
                StepDeserializer.Refused.class, () -> new StepDeserializer().deserialize("training.steps", value));

        ProducerRecord<byte[], byte[]> dead =
                DeadLetteringDeserializationHandler.deadLetter("training.steps.dlq", record, refused);
        assertThat(dead.topic()).isEqualTo("training.steps.dlq");
        assertThat(dead.value()).isEqualTo(value);
        assertThat(header(dead, Topics.HEADER_DEAD_LETTER_REASON)).contains("runId must match");
        assertThat(header(dead, Topics.HEADER_ORIGIN_PARTITION)).isEqualTo("2");
        assertThat(header(dead, Topics.HEADER_ORIGIN_OFFSET)).isEqualTo("7");
    }

    @Test
    void everyRefusalNamesWhatIsWrong() {
        TrainingStep good = TopologyTest.step("run-1", 1, 0, 1_000, 10, 1, 1, 1);
        assertThat(reason(null)).contains("no value");
        assertThat(reason(TopologyTest.step("", 1, 0, 1_000, 10, 1, 1, 1))).contains("runId");
        assertThat(reason(TopologyTest.epochEnd("r", "test", 0, 1, 1_000, 10))).contains("split");
        assertThat(reason(new TrainingStep(
                        1, "nonsense", "r", TrainingStep.TRAIN, 0, 1, 0, 10, 1, 1, 1, 1e-3, 1, 0, 1_000, null)))
                .contains("type");
        assertThat(reason(TopologyTest.step("r", 1, 0, 1_000, -1, 1, 1, 1))).contains("samples");
        assertThat(new StepDeserializer().deserialize("t", bytes(good))).isEqualTo(good);
    }

    private static String reason(TrainingStep step) {
        return catchThrowableOfType(
                        StepDeserializer.Refused.class, () -> new StepDeserializer().deserialize("t", bytes(step)))
                .getMessage();
    }

    private static byte[] bytes(TrainingStep step) {
        return step == null ? null : EventSerdes.trainingStep().serializer().serialize("t", step);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
