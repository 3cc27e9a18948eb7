package org.kafkatrain.trainer.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.TrainingStep;

import java.util.concurrent.CompletableFuture;

/**
 * Sends {@link TrainingStep} events on the {@code training-steps} channel (topic {@code training.steps}), keyed by
 * run id. Training never waits on it and never fails because of it: while the broker is slow or away, up to
 * {@link #BUFFER} events wait in memory (at ten steps a second, a quarter of an hour) and go out when it returns;
 * beyond that, or when the channel has failed, an event is dropped, counted in {@code trainer.step.events.dropped}
 * and logged, and training goes on. metrics-stream's epoch summaries wait for the steps of their epoch, so a dropped
 * step shows as an epoch summary that never comes, not as a wrong number.
 */
@ApplicationScoped
public class StepEventPublisher {
    static final int BUFFER = 10_000;
    private static final Logger LOG = Logger.getLogger(StepEventPublisher.class);

    @Inject
    @Channel("training-steps")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
    Emitter<TrainingStep> emitter;

    @Inject
    MeterRegistry registry;

    private Counter dropped;

    @PostConstruct
    void meters() {
        dropped = registry.counter("trainer.step.events.dropped");
    }

    public void publish(TrainingStep step) {
        OutgoingKafkaRecordMetadata<String> key = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(step.runId())
                .build();
        try {
            emitter.send(Message.of(step)
                    .addMetadata(key)
                    .withAck(() -> CompletableFuture.completedFuture(null))
                    .withNack(e -> {
                        dropped(step, e);
                        return CompletableFuture.completedFuture(null);
                    }));
        } catch (RuntimeException e) { // buffer full, or the channel failed: SmallRye throws from send
            dropped(step, e);
        }
    }

    private void dropped(TrainingStep step, Throwable why) {
        dropped.increment();
        // One line per hundred drops: an outage must show in the log without flooding it.
        if ((long) dropped.count() % 100 == 1) {
            LOG.errorf(
                    "step event %s/%s/%d not delivered (%d dropped so far): %s",
                    step.runId(), step.split(), step.step(), (long) dropped.count(), why.getMessage());
        }
    }
}
