package org.kafkatrain.trainer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.ManifestLookup;
import org.kafkatrain.contracts.Topics;

import java.util.Optional;

/** The dataset manifests ingest publishes: class count and image shape of a run come from here. */
@ApplicationScoped
public class DatasetCatalog {
    @ConfigProperty(name = "trainer.datasets-topic", defaultValue = Topics.DATASETS)
    String topic;

    @Inject
    KafkaClients kafka;

    public Optional<DatasetManifest> find(String dataset) throws InvalidRecordException {
        try (KafkaConsumer<String, byte[]> consumer = kafka.consumer("manifest-reader")) {
            return ManifestLookup.find(consumer, topic, dataset);
        }
    }
}
