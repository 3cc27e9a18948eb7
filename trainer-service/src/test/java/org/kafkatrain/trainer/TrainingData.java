package org.kafkatrain.trainer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.DatasetRecords;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.OffsetRange;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.contracts.proto.PixelEncoding;
import org.kafkatrain.engine.Hyperparameters;
import org.kafkatrain.testing.FashionMnist;
import org.kafkatrain.testing.TopicContents;
import org.kafkatrain.trainer.data.DeadLetterLedger;
import org.kafkatrain.trainer.data.ImageSource;
import org.kafkatrain.trainer.data.IntakeTally;
import org.kafkatrain.trainer.data.KafkaClients;
import org.kafkatrain.trainer.data.KafkaImageSource;
import org.kafkatrain.trainer.data.KafkaPatience;
import org.kafkatrain.trainer.data.RecordDecoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Puts a class-balanced Fashion-MNIST subset on fresh topics, with its manifest, as ingest would. */
final class TrainingData {
    static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private TrainingData() {}

    static void publish(
            String bootstrap, String dataset, String trainTopic, String valTopic, int trainPerClass, int valPerClass)
            throws IOException {
        publish(bootstrap, dataset, trainTopic, valTopic, trainPerClass, valPerClass, false);
    }

    /**
     * Publishes the subset and its manifest; with {@code pin}, the manifest pins the offset ranges the records took,
     * as ingest's does, so that datasets can share topics.
     *
     * @return split -> what was published
     */
    static Map<String, Published> publish(
            String bootstrap,
            String dataset,
            String trainTopic,
            String valTopic,
            int trainPerClass,
            int valPerClass,
            boolean pin)
            throws IOException {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            Map<String, Published> published = Map.of(
                    TrainingStep.TRAIN,
                    send(producer, dataset, trainTopic, FashionMnist.load("train"), trainPerClass),
                    TrainingStep.VAL,
                    send(producer, dataset, valTopic, FashionMnist.load("t10k"), valPerClass));
            Map<String, Map<String, Long>> counts = new HashMap<>();
            Map<String, DatasetRecords> records = new HashMap<>();
            published.forEach((split, p) -> {
                counts.put(split, p.counts());
                records.put(split, p.records());
            });
            DatasetManifest manifest = new DatasetManifest(
                    DatasetManifest.VERSION,
                    dataset,
                    CLASSES,
                    FashionMnist.SIDE,
                    FashionMnist.SIDE,
                    1,
                    FashionMnist.DIR.toString(),
                    counts,
                    System.currentTimeMillis(),
                    pin ? records : Map.of());
            producer.send(new ProducerRecord<>(Topics.DATASETS, dataset, EventJson.write(manifest)));
            producer.flush();
            return published;
        }
    }

    /** One split as published: images per class, the sample ids, and the records' offset ranges. */
    record Published(Map<String, Long> counts, List<String> ids, DatasetRecords records) {}

    /** The tutorial's hyperparameters at Fashion-MNIST's 28 px, batch {@code batch}, seed 1: what the benches train. */
    static Hyperparameters hyperparameters(int batch) {
        return Hyperparameters.defaults().withBatch(batch, 28).withSeed(1);
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    static ProducerRecord<String, byte[]> record(String topic, String key, String contentType, byte[] value) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value);
        if (contentType != null) {
            r.headers().add(Topics.HEADER_CONTENT_TYPE, contentType.getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    /** The first {@code perClass} images of each class, in records of up to 50 images, acknowledged. */
    private static Published send(
            KafkaProducer<String, byte[]> producer, String dataset, String topic, FashionMnist source, int perClass)
            throws IOException {
        int[] taken = new int[CLASSES.size()];
        List<Sample> pending = new ArrayList<>();
        Map<String, Long> counts = new HashMap<>();
        List<String> ids = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            int label = source.label(i);
            if (taken[label] >= perClass) {
                if (sum(taken) == perClass * CLASSES.size()) {
                    break;
                }
                continue;
            }
            taken[label]++;
            counts.merge(CLASSES.get(label), 1L, Long::sum);
            ids.add(dataset + "/" + i);
            pending.add(
                    new Sample(dataset + "/" + i, label, FashionMnist.SIDE, FashionMnist.SIDE, 1, source.pixels(i)));
            if (pending.size() == 50) {
                sent.add(producer.send(batchRecord(topic, dataset, pending)));
                pending = new ArrayList<>();
            }
        }
        if (!pending.isEmpty()) {
            sent.add(producer.send(batchRecord(topic, dataset, pending)));
        }
        Map<Integer, List<Long>> offsets = new HashMap<>();
        try {
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get();
                offsets.computeIfAbsent(m.partition(), p -> new ArrayList<>()).add(m.offset());
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IOException("a record was not acknowledged", e);
        }
        return new Published(counts, ids, new DatasetRecords(topic, OffsetRange.covering(offsets)));
    }

    private static ProducerRecord<String, byte[]> batchRecord(String topic, String dataset, List<Sample> samples) {
        return record(
                topic,
                samples.get(0).id(),
                ImageRecordCodec.BATCH_CONTENT_TYPE,
                ImageRecordCodec.encodeBatch(dataset, samples, PixelEncoding.RAW_U8_HWC));
    }

    private static int sum(int[] values) {
        int s = 0;
        for (int v : values) {
            s += v;
        }
        return s;
    }

    /** Fresh dataset, topic and run names for one test. */
    record Names(String dataset, String trainTopic, String valTopic, String run) {
        static Names of(String prefix) {
            String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
            return new Names("fmnist-" + id, id + ".train", id + ".val", id);
        }
    }

    /** Kafka image sources for benches: no dead-letter topic, no patience with an absent broker. */
    static ImageSource.Factory sources(KafkaClients kafka, RecordDecoder decoder) {
        return (clientId, topic) -> new KafkaImageSource(
                kafka,
                clientId,
                topic,
                null,
                decoder,
                null,
                new DeadLetterLedger(),
                new IntakeTally(),
                new KafkaPatience(Duration.ZERO, w -> {}));
    }

    /** The run's events on training.steps, in order. */
    static List<TrainingStep> steps(String bootstrap, String run) throws InvalidRecordException {
        List<TrainingStep> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TopicContents.readAll(bootstrap, Topics.TRAINING_STEPS)) {
            if (run.equals(r.key())) {
                out.add(EventJson.readStep(r.value()));
            }
        }
        return out;
    }
}
