package org.kafkatrain.trainer.events;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.TrainingStep;

import java.util.concurrent.CompletableFuture;

/** Sends {@link TrainingStep} events on the {@code training-steps} channel (topic {@code training.steps}), keyed by run id. */
@ApplicationScoped
public class StepEventPublisher {
    private static final Logger LOG = Logger.getLogger(StepEventPublisher.class);

    @Inject
    @Channel("training-steps")
    Emitter<TrainingStep> emitter;

    public void publish(TrainingStep step) {
        OutgoingKafkaRecordMetadata<String> key = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(step.runId())
                .build();
        emitter.send(Message.of(step)
                .addMetadata(key)
                .withAck(() -> CompletableFuture.completedFuture(null))
                .withNack(e -> {
                    // A lost metric event does not stop training, but it must not pass unnoticed.
                    LOG.errorf(e, "step event %s/%s/%d not delivered", step.runId(), step.split(), step.step());
                    return CompletableFuture.completedFuture(null);
                }));
    }
}
