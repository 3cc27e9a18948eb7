package org.kafkatrain.inference.stream;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.kafkatrain.contracts.ConsumedRecords;
import org.kafkatrain.contracts.DecodedRecord;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.Prediction;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.TopClass;
import org.kafkatrain.inference.config.InferenceConfig;
import org.kafkatrain.inference.model.PredictionBatcher;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code images.infer} to {@code predictions}: each record (a single PNG/JPEG, or a batch envelope, as on
 * {@code images.train}; labels optional) gets one {@link Prediction} with every image's top-5, keyed by the record's
 * key. The run comes from the record's {@code run} header, else {@code inference.run}. Records are handled
 * concurrently on the {@code inference} worker pool, so that the batcher can put many through the model at once. A
 * record that cannot be read or has no run throws, and SmallRye's dead-letter-queue strategy moves it unchanged to
 * {@code images.infer.dlq} with the reason.
 */
@ApplicationScoped
public class InferStream {
    private static final int TOP = 5;

    @Inject
    PredictionBatcher batcher;

    @Inject
    InferenceConfig config;

    private ImageRecordCodec codec;

    /**
     * The decoder with {@code inference.limits.*}: with 64 records decoding at once, each record's pixel budget
     * (checked before its images are decoded) is what bounds the memory they take.
     */
    @PostConstruct
    void codec() {
        codec = ImageRecordCodec.labelsOptional(config.limits().recordLimits(0));
    }

    @Incoming("images-infer")
    @Outgoing("predictions")
    @Blocking(value = "inference", ordered = false)
    public Record<String, Prediction> predict(ConsumerRecord<String, byte[]> record)
            throws InvalidRecordException, IOException {
        long arrived = System.nanoTime();
        String run = ConsumedRecords.header(record, config.runHeader());
        if (run == null) {
            run = config.run()
                    .orElseThrow(() -> new IllegalArgumentException("no run to predict with: set the record's '"
                            + config.runHeader() + "' header or inference.run"));
        }
        DecodedRecord decoded = codec.decode(record);
        PredictionBatcher.Answer answer = batcher.predict(run, decoded.samples());
        List<Prediction.ImagePrediction> images = new ArrayList<>();
        for (int i = 0; i < decoded.samples().size(); i++) {
            Sample s = decoded.samples().get(i);
            if (s.label() >= answer.numClasses()) {
                throw new InvalidRecordException(
                        InvalidRecordException.Problem.LABEL_OUT_OF_RANGE,
                        "image " + i + ": label " + s.label() + " outside [0, " + answer.numClasses() + ")");
            }
            images.add(new Prediction.ImagePrediction(
                    s.id(),
                    s.label() == Sample.NO_LABEL ? null : s.label(),
                    TopClass.of(answer.probabilities(), i, answer.model().classes(), TOP)));
        }
        Prediction prediction = new Prediction(
                Prediction.VERSION,
                record.key(),
                run,
                answer.model().checkpoint(),
                record.topic(),
                record.partition(),
                record.offset(),
                images,
                (System.nanoTime() - arrived) / 1e6,
                System.currentTimeMillis());
        return Record.of(record.key(), prediction);
    }
}
