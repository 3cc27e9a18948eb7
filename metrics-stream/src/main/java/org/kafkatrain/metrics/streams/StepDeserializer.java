package org.kafkatrain.metrics.streams;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.kafkatrain.contracts.EventSerdes;
import org.kafkatrain.contracts.Ids;
import org.kafkatrain.contracts.TrainingStep;

import java.util.Set;

/**
 * Reads step events where they enter the topology and refuses those that parse but cannot be processed: a run id
 * that is no id (it becomes part of every store key, where a {@code |} would split it, and reaches the dashboard),
 * an unknown split or type, negative samples, no value at all. A refusal is a {@link SerializationException}, so it
 * takes the dead-letter path of records that do not parse ({@link DeadLetteringDeserializationHandler}), with its
 * reason.
 */
final class StepDeserializer implements Deserializer<TrainingStep> {
    private static final Set<String> SPLITS = Set.of(TrainingStep.TRAIN, TrainingStep.VAL);
    private static final Set<String> TYPES = Set.of(TrainingStep.STEP, TrainingStep.EPOCH_END);

    private final Deserializer<TrainingStep> json = EventSerdes.trainingStep().deserializer();

    @Override
    public TrainingStep deserialize(String topic, byte[] bytes) {
        TrainingStep step = json.deserialize(topic, bytes);
        if (step == null) {
            throw new Refused(topic, "no value");
        }
        try {
            Ids.check("runId", step.runId());
        } catch (IllegalArgumentException e) {
            throw new Refused(topic, e.getMessage());
        }
        if (!SPLITS.contains(step.split())) {
            throw new Refused(topic, "unknown split " + step.split());
        }
        if (!TYPES.contains(step.type())) {
            throw new Refused(topic, "unknown type " + step.type());
        }
        if (step.samples() < 0) {
            throw new Refused(topic, "negative samples " + step.samples());
        }
        return step;
    }

    /** A step event that parsed but was refused. */
    static final class Refused extends SerializationException {
        Refused(String topic, String reason) {
            super("topic " + topic + ": refused step event: " + reason);
        }
    }
}
