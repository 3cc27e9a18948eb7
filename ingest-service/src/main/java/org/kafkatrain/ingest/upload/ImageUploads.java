package org.kafkatrain.ingest.upload;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.Ids;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.ImageTransform;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.RawImage;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.proto.PixelEncoding;
import org.kafkatrain.ingest.DatasetManifests;
import org.kafkatrain.ingest.ImageProducer;
import org.kafkatrain.ingest.config.IngestConfig;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Validates an uploaded image against its dataset's manifest and publishes it as a one-image batch record. */
@ApplicationScoped
public class ImageUploads {
    @Inject
    ImageProducer producer;

    @Inject
    DatasetManifests manifests;

    @Inject
    IngestConfig config;

    /** The content types an upload may declare, and the one ImageIO format each lets through. */
    private static final Map<String, String> FORMATS = Map.of("image/png", "png", "image/jpeg", "jpeg");

    /** @param contentType the image's declared type, image/png or image/jpeg: the only format decoded */
    Map<String, Object> publish(String dataset, String label, String split, byte[] body, String contentType)
            throws UploadRejectedException, IOException {
        if (dataset == null || dataset.isBlank()) {
            throw new UploadRejectedException(Status.BAD_REQUEST, "'dataset' is required");
        }
        if (!Ids.valid(dataset)) {
            throw new UploadRejectedException(Status.BAD_REQUEST, "no dataset is named so: " + dataset);
        }
        String format = FORMATS.get(
                contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT));
        if (format == null) {
            throw new UploadRejectedException(
                    Status.UNSUPPORTED_MEDIA_TYPE, "an image is image/png or image/jpeg, not " + contentType);
        }
        String topic = split == null || split.equals("train")
                ? config.upload().trainTopic()
                : split.equals("val") ? config.upload().valTopic() : null;
        if (topic == null) {
            throw new UploadRejectedException(Status.BAD_REQUEST, "split must be 'train' or 'val': " + split);
        }
        DatasetManifest manifest = manifest(dataset);
        int classIndex = classIndex(manifest, label);
        if (body == null || body.length == 0) {
            throw new UploadRejectedException(Status.BAD_REQUEST, "empty image");
        }
        BufferedImage decoded;
        try {
            decoded = ImageFiles.read(body, config.limits().maxImageSide(), format);
        } catch (InvalidRecordException e) {
            Status status = e.problem() == InvalidRecordException.Problem.IMAGE_TOO_LARGE
                    ? Status.REQUEST_ENTITY_TOO_LARGE
                    : Status.BAD_REQUEST;
            throw new UploadRejectedException(status, e.getMessage());
        }
        int channels = ImageFiles.channelsOf(decoded);
        RawImage raw = new ImageTransform(manifest.height(), manifest.channels())
                .apply(new RawImage(
                        ImageFiles.toPixels(decoded, channels), decoded.getHeight(), decoded.getWidth(), channels));
        String id = dataset + "/upload/" + UUID.randomUUID();
        Sample sample = new Sample(id, classIndex, raw.height(), raw.width(), raw.channels(), raw.pixels());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                topic, id, ImageRecordCodec.encodeBatch(dataset, List.of(sample), PixelEncoding.RAW_U8_HWC));
        record.headers()
                .add(Topics.HEADER_CONTENT_TYPE, ImageRecordCodec.BATCH_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        record.headers().add(Topics.HEADER_DATASET, dataset.getBytes(StandardCharsets.UTF_8));
        try {
            RecordMetadata meta = producer.send(record).get(30, TimeUnit.SECONDS);
            return Map.of(
                    "id",
                    id,
                    "label",
                    classIndex,
                    "class",
                    manifest.classes().get(classIndex),
                    "topic",
                    meta.topic(),
                    "partition",
                    meta.partition(),
                    "offset",
                    meta.offset());
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("not published: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private DatasetManifest manifest(String dataset) throws UploadRejectedException, IOException {
        return manifests
                .find(config.upload().datasetsTopic(), dataset)
                .orElseThrow(() -> new UploadRejectedException(
                        Status.NOT_FOUND,
                        "no dataset '" + dataset + "': ingest it first, its manifest names the classes"));
    }

    private static int classIndex(DatasetManifest manifest, String label) throws UploadRejectedException {
        if (label == null || label.isBlank()) {
            throw new UploadRejectedException(Status.BAD_REQUEST, "'label' is required (class index or class name)");
        }
        int byName = manifest.classes().indexOf(label);
        if (byName >= 0) {
            return byName;
        }
        try {
            int index = Integer.parseInt(label.trim());
            if (index >= 0 && index < manifest.classes().size()) {
                return index;
            }
        } catch (NumberFormatException ignored) {
            // neither a class name nor an index: reported below
        }
        throw new UploadRejectedException(
                Status.BAD_REQUEST,
                "unknown class '" + label + "'; " + manifest.dataset() + " has "
                        + manifest.classes().size() + " classes: " + manifest.classes());
    }
}
