package org.kafkatrain.trainer.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.DatasetRecords;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.security.ApiToken;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.trainer.config.TrainerConfig;
import org.kafkatrain.trainer.data.DeadLetterLedger;
import org.kafkatrain.trainer.data.ImageSource;
import org.kafkatrain.trainer.data.IntakeTally;
import org.kafkatrain.trainer.data.RecordDecoder;
import org.kafkatrain.trainer.events.TrainerMetrics;
import org.kafkatrain.trainer.kafka.CheckpointEventPublisher;
import org.kafkatrain.trainer.kafka.DatasetCatalog;
import org.kafkatrain.trainer.kafka.DeadLetterPublisher;
import org.kafkatrain.trainer.kafka.KafkaClients;
import org.kafkatrain.trainer.kafka.KafkaImageSource;
import org.kafkatrain.trainer.kafka.KafkaPatience;
import org.kafkatrain.trainer.kafka.StepEventPublisher;
import org.kafkatrain.trainer.replica.PeerForwarder;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** The beans a {@link TrainingRun} works with, handed to it as one (runs are plain objects, not beans). */
@ApplicationScoped
public class TrainerServices {
    @Inject
    TrainerConfig config;

    @Inject
    DatasetCatalog catalog;

    @Inject
    CheckpointStore store;

    @Inject
    StepEventPublisher steps;

    @Inject
    CheckpointEventPublisher checkpointEvents;

    @Inject
    DeadLetterPublisher deadLetters;

    @Inject
    KafkaClients kafka;

    @Inject
    TrainerMetrics metrics;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = ApiToken.PROPERTY)
    Optional<String> apiToken;

    /** Decoder threads shared by the runs' feeds; null with {@code trainer.decode-threads} 1 (decode on the feed). */
    private ExecutorService decoders;

    @PostConstruct
    void startDecoders() {
        int threads = config.decodeThreads();
        if (threads > 1) {
            decoders = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "record-decode");
                t.setDaemon(true);
                return t;
            });
        }
    }

    @PreDestroy
    void stopDecoders() {
        if (decoders != null) {
            decoders.shutdownNow();
        }
    }

    TrainerConfig config() {
        return config;
    }

    DatasetCatalog catalog() {
        return catalog;
    }

    CheckpointStore store() {
        return store;
    }

    /** Where runs' initWeights may come from, and how large they may be. */
    InitWeights initWeights() {
        return new InitWeights(config.initWeightsDir(), config.maxInitWeightsBytes());
    }

    StepEventPublisher steps() {
        return steps;
    }

    CheckpointEventPublisher checkpointEvents() {
        return checkpointEvents;
    }

    TrainerMetrics metrics() {
        return metrics;
    }

    /**
     * Kafka image sources for a run: records decoded for its classes and shape, rejects dead-lettered once and
     * counted in {@code tally}, a broker that is away waited for up to {@code trainer.kafka-patience} ({@code onWait}
     * hears of it).
     *
     * @param pinned     topic -> the dataset's records there, for the topics the run reads only those of
     * @param deadLetter whether this process publishes the dead letters (one replica of a run does)
     */
    ImageSource.Factory imageSources(
            DatasetManifest manifest,
            Map<String, DatasetRecords> pinned,
            DeadLetterLedger ledger,
            IntakeTally tally,
            Consumer<String> onWait,
            boolean deadLetter) {
        KafkaPatience patience = new KafkaPatience(config.kafkaPatience(), onWait);
        // the run's shape known to the codec: a compressed image of another size is refused from its header, undecoded
        ImageRecordCodec codec = new ImageRecordCodec(config.limits()
                .recordLimits(manifest.classes().size())
                .withShape(manifest.height(), manifest.width(), manifest.channels()));
        RecordDecoder decoder =
                new RecordDecoder(codec, manifest.height(), manifest.width(), manifest.channels(), decoders);
        return (clientId, topic) -> new KafkaImageSource(
                kafka,
                clientId,
                topic,
                pinned.get(topic),
                decoder,
                deadLetter ? deadLetters : null,
                ledger,
                tally,
                patience);
    }

    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** How rank 0 of a data-parallel run reaches its peers. */
    PeerForwarder peers() {
        return new PeerForwarder(config.replicas().peers().orElse(List.of()), apiToken, mapper);
    }
}
