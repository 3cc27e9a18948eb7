package org.kafkatrain.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.TrainingStep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A step event must never fail a run (issue 12): when SmallRye refuses an event (its buffer is full while the broker
 * is away, or the channel has failed) it throws from {@code send}; the publisher counts the drop and returns.
 */
class StepEventPublisherTest {
    @Test
    void aRefusedOrNackedEventIsCountedAndTrainingGoesOn() {
        RefusingEmitter emitter = new RefusingEmitter();
        StepEventPublisher publisher = new StepEventPublisher();
        publisher.emitter = emitter;
        publisher.registry = new SimpleMeterRegistry();
        publisher.meters();

        publisher.publish(step(1));
        assertThat(emitter.sent).hasSize(1);
        emitter.sent
                .get(0)
                .nack(new IllegalStateException("broker gone"))
                .toCompletableFuture()
                .join();

        emitter.refuse = true;
        assertThatCode(() -> publisher.publish(step(2))).doesNotThrowAnyException();
        assertThat(publisher.registry.counter("trainer.step.events.dropped").count())
                .isEqualTo(2);
    }

    private static TrainingStep step(long n) {
        return new TrainingStep(
                TrainingStep.VERSION,
                TrainingStep.STEP,
                "r",
                TrainingStep.TRAIN,
                0,
                n,
                0,
                8,
                1.0,
                1,
                2,
                1e-3,
                10.0,
                0,
                0,
                null);
    }

    /** What SmallRye's emitter does under back-pressure: throws from send. */
    private static final class RefusingEmitter implements Emitter<TrainingStep> {
        final List<Message<TrainingStep>> sent = new ArrayList<>();
        boolean refuse;

        @Override
        public <M extends Message<? extends TrainingStep>> void send(M msg) {
            if (refuse) {
                throw new IllegalStateException("SRMSG00034: Insufficient downstream requests to emit item");
            }
            @SuppressWarnings("unchecked")
            Message<TrainingStep> m = (Message<TrainingStep>) msg;
            sent.add(m);
        }

        @Override
        public CompletionStage<Void> send(TrainingStep payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {}

        @Override
        public void error(Exception e) {}

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return !refuse;
        }
    }
}
