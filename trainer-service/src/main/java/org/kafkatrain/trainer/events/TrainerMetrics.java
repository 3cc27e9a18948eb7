package org.kafkatrain.trainer.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.kafkatrain.engine.BatchResult;
import org.kafkatrain.trainer.loop.BatchEvent;
import org.kafkatrain.trainer.loop.TrainingListener;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Prometheus metrics per run: steps, samples, loss, images/s, prefetch queue depth, rejected records; checkpoint
 * stalls, uploads and failures.
 */
@ApplicationScoped
public class TrainerMetrics {
    @Inject
    MeterRegistry registry;

    private final Map<String, AtomicReference<double[]>> gauges = new ConcurrentHashMap<>();

    /** The run's training steps as meters. */
    public TrainingListener listener(String runId, LongSupplier rejected) {
        return new TrainingListener() {
            @Override
            public void onTrainingBatch(BatchEvent e) {
                step(runId, e.result(), e.imagesPerSec(), e.queued(), rejected.getAsLong());
            }
        };
    }

    private void step(String runId, BatchResult result, double imagesPerSec, int queueDepth, long rejected) {
        Tags tags = Tags.of("run", runId);
        registry.counter("trainer.steps", tags).increment();
        registry.counter("trainer.samples", tags).increment(result.samples());
        double[] values =
                gauges.computeIfAbsent(runId, id -> register(id, tags)).get();
        values[0] = result.loss();
        values[1] = imagesPerSec;
        values[2] = queueDepth;
        values[3] = rejected;
    }

    /** How long a checkpoint held the training thread (the copy of the state); the upload runs behind it. */
    public void checkpointStall(String runId, double seconds) {
        time("trainer.checkpoint.stall", runId, seconds);
    }

    /** How long a checkpoint took to serialize and store, in the background. */
    public void checkpointUpload(String runId, double seconds) {
        time("trainer.checkpoint.upload", runId, seconds);
    }

    public void checkpointFailed(String runId) {
        registry.counter("trainer.checkpoint.failures", Tags.of("run", runId)).increment();
    }

    private void time(String timer, String runId, double seconds) {
        registry.timer(timer, Tags.of("run", runId)).record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    private AtomicReference<double[]> register(String runId, Tags tags) {
        AtomicReference<double[]> ref = new AtomicReference<>(new double[4]);
        registry.gauge("trainer.loss", tags, ref, r -> r.get()[0]);
        registry.gauge("trainer.images.per.second", tags, ref, r -> r.get()[1]);
        registry.gauge("trainer.prefetch.queue.depth", tags, ref, r -> r.get()[2]);
        registry.gauge("trainer.rejected.records", tags, ref, r -> r.get()[3]);
        return ref;
    }
}
