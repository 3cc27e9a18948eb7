package org.kafkatrain.inference.model;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.engine.Batch;
import org.kafkatrain.inference.config.InferenceConfig;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs every prediction, REST and Kafka alike, on one thread that owns the device: requests that wait together
 * (up to {@code inference.batching.max-images} images, gathered for at most {@code max-wait}) go through the model
 * as one batch, which is where a CPU or GPU gets its throughput. Callers block on their own answer only.
 */
@ApplicationScoped
public class PredictionBatcher {
    private static final Logger LOG = Logger.getLogger(PredictionBatcher.class);
    /** A request never waits forever, even for a device stuck or shutting down: it gets 503 instead. */
    private static final Duration ANSWER_PATIENCE = Duration.ofMinutes(1);
    /** The most elements a Java array may have on common JVMs. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    @Inject
    ModelRegistry registry;

    @Inject
    InferenceConfig config;

    /** One pass of a request's images, at the model's input shape. */
    private record Job(ServedModel model, List<Sample> images, CompletableFuture<float[]> answer) {}

    /** What a request gets: the model that answered and each image's class probabilities, row-major. */
    public record Answer(ModelInfo model, float[] probabilities) {
        public int numClasses() {
            return model.classes().size();
        }
    }

    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    /** A job that did not fit in the last batch: the worker thread's alone. */
    private Job carried;

    private Thread worker;

    @PostConstruct
    void start() {
        worker = new Thread(this::work, "prediction-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.interrupt();
    }

    /**
     * Class probabilities of {@code images} from the run's current model. More images than
     * {@code inference.batching.max-images} go through in passes of that many, each fitted only when it is queued:
     * what a large request holds stays bounded, and other requests' passes take turns with its own.
     *
     * @param images of any size: each is fitted to the model's input ({@link ImageFitting})
     */
    public Answer predict(String runId, List<Sample> images) throws IOException {
        ServedModel model = registry.acquire(runId);
        try {
            int classes = model.info().classes().size();
            float[] probabilities = new float[Math.multiplyExact(images.size(), classes)];
            int most = config.batching().maxImages();
            for (int from = 0; from < images.size(); from += most) {
                List<Sample> pass = images.subList(from, Math.min(images.size(), from + most));
                List<Sample> fitted = new ArrayList<>(pass.size());
                for (Sample s : pass) {
                    fitted.add(ImageFitting.fit(s, model.info()));
                }
                float[] answer = answer(model, fitted);
                System.arraycopy(answer, 0, probabilities, from * classes, answer.length);
            }
            return new Answer(model.info(), probabilities);
        } finally {
            model.release();
        }
    }

    /** Queues one pass for the device thread and waits for its probabilities. */
    private float[] answer(ServedModel model, List<Sample> images) throws IOException {
        CompletableFuture<float[]> answer = new CompletableFuture<>();
        queue.add(new Job(model, images, answer));
        try {
            return answer.get(ANSWER_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no prediction within " + ANSWER_PATIENCE + " (the device is busy or stopping)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a prediction", e);
        } catch (ExecutionException e) {
            throw new IOException("prediction failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<Job> jobs = gather();
                Map<ServedModel, List<Job>> byModel = new LinkedHashMap<>();
                jobs.forEach(j -> byModel.computeIfAbsent(j.model(), m -> new ArrayList<>())
                        .add(j));
                byModel.forEach(this::run);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The next job, and whatever else arrives within max-wait, up to max-images in all: a job that would take the
     * batch past that is carried over to open the next one.
     */
    private List<Job> gather() throws InterruptedException {
        List<Job> jobs = new ArrayList<>();
        Job first = carried != null ? carried : queue.take();
        carried = null;
        jobs.add(first);
        int images = first.images().size();
        long deadline = System.nanoTime() + config.batching().maxWait().toNanos();
        while (images < config.batching().maxImages()) {
            Job next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            if (images + next.images().size() > config.batching().maxImages()) {
                carried = next;
                break;
            }
            jobs.add(next);
            images += next.images().size();
        }
        return jobs;
    }

    private void run(ServedModel model, List<Job> jobs) {
        try {
            List<Sample> all = new ArrayList<>();
            jobs.forEach(j -> all.addAll(j.images()));
            float[] probabilities = model.predictor().probabilities(batch(all));
            int classes = model.info().classes().size();
            int at = 0;
            for (Job j : jobs) {
                int n = j.images().size() * classes;
                float[] mine = new float[n];
                System.arraycopy(probabilities, at, mine, 0, n);
                at += n;
                j.answer().complete(mine);
            }
        } catch (RuntimeException e) {
            LOG.errorf(
                    e,
                    "a batch of %d requests on %s failed",
                    jobs.size(),
                    model.info().checkpoint());
            jobs.forEach(j -> j.answer().completeExceptionally(e));
        }
    }

    /**
     * The images as one uint8 batch; refused when they are more bytes than one Java array holds (a max-images too
     * large for the model's input) rather than overflowing into a negative size.
     */
    static Batch batch(List<Sample> images) {
        Sample first = images.get(0);
        int size = first.pixelCount();
        long bytes = (long) images.size() * size;
        if (bytes > MAX_ARRAY) {
            throw new IllegalArgumentException(images.size() + " images of " + size + " bytes are " + bytes
                    + " bytes, more than one batch holds: lower inference.batching.max-images");
        }
        byte[] pixels = new byte[(int) bytes];
        long[] labels = new long[images.size()];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).pixels(), 0, pixels, i * size, size);
        }
        return new Batch(pixels, labels, first.height(), first.width(), first.channels(), 0);
    }
}
