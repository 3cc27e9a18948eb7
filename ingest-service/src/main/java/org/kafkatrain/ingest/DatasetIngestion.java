package org.kafkatrain.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.DatasetRecords;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.ImageTransform;
import org.kafkatrain.contracts.OffsetRange;
import org.kafkatrain.contracts.RawImage;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.proto.PixelEncoding;
import org.kafkatrain.ingest.config.IngestConfig;
import org.kafkatrain.ingest.source.CifarDataset;
import org.kafkatrain.ingest.source.DatasetSource;
import org.kafkatrain.ingest.source.IdxDataset;
import org.kafkatrain.ingest.source.ImageFolderDataset;
import org.kafkatrain.ingest.source.SourceImage;
import org.kafkatrain.ingest.source.SplitPlan;
import org.kafkatrain.ingest.source.UnreadableImageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Publishes a dataset from disk: reads it in its layout, splits it, brings every image to the training resolution,
 * packs images into batch-envelope records under the record size, sends them, and publishes the dataset manifest
 * (classes, counts, shape, source, and the offset ranges its records occupy) once the data is acknowledged.
 */
@ApplicationScoped
public class DatasetIngestion {
    /** Envelope bytes per image beyond its pixels (field tags, lengths, id): a safe over-estimate. */
    private static final int PER_IMAGE_OVERHEAD = 96;

    /** Images decoded as one task: big enough to amortize the hand-off, small enough to keep several in flight. */
    private static final int CHUNK = 64;

    @Inject
    ImageProducer producer;

    @Inject
    IngestConfig settings;

    IngestReport ingest(IngestOptions o) throws IOException {
        int threads = settings.decodeThreads() > 0
                ? settings.decodeThreads()
                : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        ExecutorService decoders = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ingest-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            return ingest(o, new ChunkDecoder(decoders, 2 * threads));
        } finally {
            decoders.shutdownNow();
        }
    }

    private IngestReport ingest(IngestOptions o, ChunkDecoder decoder) throws IOException {
        DatasetSource source = open(o);
        producer.connect();
        producer.ensureTopics(List.of(o.trainTopic(), o.valTopic()), o.datasetsTopic(), o.partitions());
        List<SourceImage> all = source.images().toList();
        Map<String, List<SourceImage>> plan = SplitPlan.plan(
                all, source.hasSplits(), o.valFraction(), o.seed(), o.limitPerClass(), o.valLimitPerClass());
        List<String> skipped = new ArrayList<>(source.unusable());
        Map<String, Long> images = new TreeMap<>();
        Map<String, Long> records = new TreeMap<>();
        Map<String, Map<String, Long>> perClass = new TreeMap<>();
        Map<String, DatasetRecords> written = new TreeMap<>();
        ImageTransform transform = new ImageTransform(o.size(), o.channels());
        PixelEncoding encoding = PixelEncoding.valueOf(o.encoding());
        int[] shape = null;
        long bytes = 0;
        long started = System.nanoTime();
        for (String split : List.of("train", "val")) {
            List<SourceImage> planned = new ArrayList<>(plan.getOrDefault(split, List.of()));
            // The trainer shuffles within a bounded buffer: a class-ordered source (ImageFolder) is mixed here first.
            Collections.shuffle(planned, new Random(o.seed() + split.hashCode()));
            String topic = split.equals("train") ? o.trainTopic() : o.valTopic();
            ProgressBar bar = o.progress() ? new ProgressBar(System.err, split, planned.size()) : null;
            List<Sample> pending = new ArrayList<>();
            long pendingBytes = 0;
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            long done = 0;
            List<List<SourceImage>> chunks = new ArrayList<>();
            for (int from = 0; from < planned.size(); from += CHUNK) {
                chunks.add(planned.subList(from, Math.min(planned.size(), from + CHUNK)));
            }
            // Decoding and resizing run on the decoder threads, chunks ahead of this one; order is kept.
            Iterator<List<Object>> decoded = decoder.decode(chunks, img -> load(img, transform));
            for (List<SourceImage> chunk : chunks) {
                List<Object> loaded = decoded.next();
                for (int i = 0; i < chunk.size(); i++) {
                    done++;
                    SourceImage img = chunk.get(i);
                    if (loaded.get(i) instanceof String reason) {
                        skipped.add(img.id() + ": " + reason);
                        continue;
                    }
                    RawImage raw = (RawImage) loaded.get(i);
                    if (shape == null) {
                        shape = new int[] {raw.height(), raw.width(), raw.channels()};
                    } else if (shape[0] != raw.height() || shape[1] != raw.width() || shape[2] != raw.channels()) {
                        skipped.add(img.id() + ": " + raw.height() + "x" + raw.width() + "x" + raw.channels()
                                + " differs from the dataset's " + shape[0] + "x" + shape[1] + "x" + shape[2]
                                + " (use --size)");
                        continue;
                    }
                    int size = raw.pixels().length + PER_IMAGE_OVERHEAD;
                    if (!pending.isEmpty()
                            && (pendingBytes + size > o.recordBytes() || pending.size() >= o.maxImagesPerRecord())) {
                        bytes += send(topic, o.dataset(), pending, encoding, sent);
                        pending = new ArrayList<>();
                        pendingBytes = 0;
                    }
                    pending.add(new Sample(
                            o.dataset() + "/" + img.id(),
                            img.label(),
                            raw.height(),
                            raw.width(),
                            raw.channels(),
                            raw.pixels()));
                    pendingBytes += size;
                    images.merge(split, 1L, Long::sum);
                    perClass.computeIfAbsent(split, s -> new TreeMap<>())
                            .merge(source.classes().get(img.label()), 1L, Long::sum);
                }
                if (bar != null) {
                    bar.update(done, bytes);
                }
            }
            if (!pending.isEmpty()) {
                bytes += send(topic, o.dataset(), pending, encoding, sent);
            }
            producer.flush();
            List<RecordMetadata> acked = awaitAll(sent);
            records.put(split, (long) sent.size());
            // a split with no image is pinned too, to nothing: its topic may hold other datasets' records
            written.put(split, recordsOf(topic, acked));
        }
        if (shape == null) {
            throw new IOException("no usable image in " + o.path());
        }
        DatasetManifest manifest = new DatasetManifest(
                DatasetManifest.VERSION,
                o.dataset(),
                source.classes(),
                shape[0],
                shape[1],
                shape[2],
                o.path().toAbsolutePath().toString(),
                perClass,
                System.currentTimeMillis(),
                written);
        awaitAll(List.of(
                producer.send(new ProducerRecord<>(o.datasetsTopic(), o.dataset(), EventJson.write(manifest)))));
        return new IngestReport(
                o.dataset(), images, records, bytes, (System.nanoTime() - started) / 1e9, perClass, skipped);
    }

    private DatasetSource open(IngestOptions o) throws IOException {
        if (!Files.isDirectory(o.path())) {
            throw new IOException(o.path() + " is not a directory");
        }
        String format = o.format();
        if (format.equals("auto")) {
            format =
                    IdxDataset.looksLike(o.path()) ? "idx" : CifarDataset.looksLike(o.path()) ? "cifar" : "imagefolder";
        }
        return switch (format) {
            case "idx" -> new IdxDataset(o.path());
            case "cifar" -> new CifarDataset(o.path());
            case "imagefolder" -> new ImageFolderDataset(o.path(), o.maxImageSide());
            default -> throw new IOException("unknown format '" + o.format() + "' (auto, imagefolder, idx, cifar)");
        };
    }

    /** The transformed image, or a String saying why it cannot be used. */
    private static Object load(SourceImage image, ImageTransform transform) {
        try {
            return transform.apply(image.loader().load());
        } catch (UnreadableImageException e) {
            return e.getMessage();
        }
    }

    private long send(
            String topic,
            String dataset,
            List<Sample> samples,
            PixelEncoding encoding,
            List<Future<RecordMetadata>> sent) {
        byte[] value = ImageRecordCodec.encodeBatch(dataset, samples, encoding);
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, samples.get(0).id(), value);
        record.headers()
                .add(Topics.HEADER_CONTENT_TYPE, ImageRecordCodec.BATCH_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        record.headers().add(Topics.HEADER_DATASET, dataset.getBytes(StandardCharsets.UTF_8));
        sent.add(producer.send(record));
        return value.length;
    }

    /** The exact ranges the acknowledged records occupy: the dataset's identity on a topic other datasets may share. */
    private static DatasetRecords recordsOf(String topic, List<RecordMetadata> acked) {
        Map<Integer, List<Long>> offsets = new TreeMap<>();
        for (RecordMetadata m : acked) {
            offsets.computeIfAbsent(m.partition(), p -> new ArrayList<>()).add(m.offset());
        }
        return new DatasetRecords(topic, OffsetRange.covering(offsets));
    }

    private static List<RecordMetadata> awaitAll(List<Future<RecordMetadata>> sent) throws IOException {
        List<RecordMetadata> acked = new ArrayList<>(sent.size());
        try {
            for (Future<RecordMetadata> f : sent) {
                acked.add(f.get());
            }
            return acked;
        } catch (ExecutionException e) {
            throw new IOException(
                    "a record was not acknowledged: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
