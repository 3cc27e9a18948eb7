package org.kafkatrain.trainer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kafkatrain.contracts.RecordLimits;

import java.io.UncheckedIOException;

/** The beans a {@link TrainingRun} works with, handed to it as one (runs are plain objects, not beans). */
@ApplicationScoped
public class TrainerServices {
    @Inject
    DatasetCatalog catalog;
    @Inject
    CheckpointStore store;
    @Inject
    StepEventPublisher steps;
    @Inject
    DeadLetterPublisher deadLetters;
    @Inject
    KafkaClients kafka;
    @Inject
    TrainerMetrics metrics;
    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "trainer.limits.max-image-side", defaultValue = "1024")
    int maxImageSide;
    @ConfigProperty(name = "trainer.limits.max-images-per-record", defaultValue = "4096")
    int maxImagesPerRecord;
    @ConfigProperty(name = "trainer.limits.max-record-bytes", defaultValue = "2097152")
    int maxRecordBytes;

    DatasetCatalog catalog() {
        return catalog;
    }

    CheckpointStore store() {
        return store;
    }

    StepEventPublisher steps() {
        return steps;
    }

    DeadLetterPublisher deadLetters() {
        return deadLetters;
    }

    KafkaClients kafka() {
        return kafka;
    }

    TrainerMetrics metrics() {
        return metrics;
    }

    RecordLimits limits() {
        return new RecordLimits(maxImageSide, maxImagesPerRecord, maxRecordBytes, 0);
    }

    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
