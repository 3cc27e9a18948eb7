package org.kafkatrain.trainer.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.ManifestLookup;
import org.kafkatrain.trainer.config.TrainerConfig;

import java.util.Optional;

/** The dataset manifests ingest publishes: class count and image shape of a run come from here. */
@ApplicationScoped
public class DatasetCatalog {
    @Inject
    TrainerConfig config;

    @Inject
    KafkaClients kafka;

    public Optional<DatasetManifest> find(String dataset) throws InvalidRecordException {
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer("manifest-reader")) {
            return ManifestLookup.find(consumer, config.datasetsTopic(), dataset);
        }
    }
}
