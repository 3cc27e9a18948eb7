package org.kafkatrain.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.HttpUtils;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import okhttp3.OkHttpClient;
import org.jboss.logging.Logger;
import org.kafkatrain.contracts.runs.CheckpointObject;
import org.kafkatrain.contracts.runs.RunSpec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checkpoints in S3 (MinIO, or any S3 server) through the MinIO Java SDK, in the layout of DESIGN.md:
 * {@code runs/<id>/run.json}, immutable {@code runs/<id>/epoch-NNNN[-step-SSSSSSSS].tar} objects whose user metadata
 * carries epoch, step, loss, acc1 and acc5, and {@code runs/<id>/latest.json}, written last.
 */
@ApplicationScoped
public class CheckpointStore {
    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
    /** A run's newest complete checkpoint, as {@link #checkpointKey} names it. */
    public static final String LATEST = "latest";
    /** A run's checkpoint with the best val top-1 so far. */
    public static final String BEST = "best";
    /**
     * Checkpoints go up as multipart uploads of this part size: the SDK reads one part at a time from the spooled
     * file, so the memory an upload holds is bounded whatever the checkpoint's size (283 MB for ResNet-50 + Adam).
     */
    static final long UPLOAD_PART_BYTES = 16L << 20;

    /** The longest pause between two tries while S3 is away. */
    private final S3Config config;

    private final String bucket;
    private final ObjectMapper json;
    private final MinioClient client;

    @Inject
    public CheckpointStore(S3Config config, ObjectMapper json) {
        this.config = config;
        this.bucket = config.bucket();
        this.json = json;
        MinioClient.Builder builder = MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region());
        config.caFile().ifPresent(pem -> builder.httpClient(trusting(pem)));
        this.client = builder.build();
    }

    /** MinIO's default HTTP client (its timeouts), trusting the CAs in {@code pem} as well. */
    private static OkHttpClient trusting(String pem) {
        long fiveMinutes = TimeUnit.MINUTES.toMillis(5);
        try {
            return HttpUtils.enableExternalCertificates(
                    HttpUtils.newDefaultHttpClient(fiveMinutes, fiveMinutes, fiveMinutes), pem);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot read the S3 CA file " + pem + " (s3.ca-file): " + e.getMessage(), e);
        }
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket if it is missing; a run calls it before its first write. */
    public void ensureBucket() throws IOException {
        if (!bucketExists()) {
            call(() -> {
                client.makeBucket(MakeBucketArgs.builder()
                        .bucket(bucket)
                        .region(config.region())
                        .build());
                return null;
            });
        }
    }

    /** Asks S3 only; throws when S3 does not answer. */
    public boolean bucketExists() throws IOException {
        return call(() ->
                client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }

    /** Writes {@code runs/<id>/run.json}. */
    public void writeRunDocument(RunDocument document) throws IOException {
        putBytes(runPrefix(document.spec().runId()) + "run.json", RunDocumentCodec.write(document), "application/json");
    }

    /** A run's run.json; empty for a run id never started. */
    public Optional<RunDocument> runDocument(String runId) throws IOException {
        Optional<byte[]> bytes = readBytes(runPrefix(runId) + "run.json");
        return bytes.isPresent() ? Optional.of(RunDocumentCodec.read(bytes.get())) : Optional.empty();
    }

    /**
     * Records in run.json that a resumed run changed settings on purpose: its spec becomes {@code resumed} and its
     * overrides list when and what, so the history of the run stays readable.
     */
    public void recordOverride(String runId, RunSpec resumed, List<String> changes) throws IOException {
        RunDocument run = runDocument(runId).orElseThrow(() -> new IOException("run " + runId + " has no run.json"));
        writeRunDocument(run.overridden(resumed, changes));
    }

    /** The user metadata of an object (a checkpoint's epoch, step, loss, acc1, acc5, sha256); empty when it is gone. */
    public Optional<Map<String, String>> metadata(String key) throws IOException {
        return call(() -> {
            try {
                return Optional.of(client.statObject(StatObjectArgs.builder()
                                .bucket(bucket)
                                .object(key)
                                .build())
                        .userMetadata());
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    public Optional<LatestCheckpoint> latest(String runId) throws IOException {
        return readJson(runPrefix(runId) + "latest.json", LatestCheckpoint.class);
    }

    /**
     * The key of one of a run's checkpoints: {@code latest} (what latest.json names), {@code best} (best val top-1
     * so far, else latest) or an object name ({@code epoch-0003.tar}, or a full key).
     *
     * @throws IllegalArgumentException when the run has no checkpoint, or not that one
     */
    public String checkpointKey(String runId, String which) throws IOException {
        LatestCheckpoint latest = latest(runId)
                .orElseThrow(
                        () -> new IllegalArgumentException("run " + runId + " has no checkpoint in bucket " + bucket));
        String key = switch (which) {
            case LATEST -> latest.object();
            case BEST -> latest.best() != null ? latest.best() : latest.object();
            default -> which.contains("/") ? which : runPrefix(runId) + which;
        };
        if (metadata(key).isEmpty()) {
            throw new IllegalArgumentException("run " + runId + " has no checkpoint " + key);
        }
        return key;
    }

    public <T> Optional<T> readJson(String key, Class<T> type) throws IOException {
        Optional<byte[]> bytes = readBytes(key);
        return bytes.isPresent() ? Optional.of(json.readValue(bytes.get(), type)) : Optional.empty();
    }

    public InputStream open(String key) throws IOException {
        return call(() -> client.getObject(
                GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    /**
     * Uploads a checkpoint file, retrying with exponential backoff ({@code s3.retry.*}), and only then moves
     * {@code latest.json} to it. Throws after the last attempt; {@code latest.json} then still names the previous
     * checkpoint.
     */
    public void commit(String runId, String key, Path file, Map<String, String> metadata, LatestCheckpoint latest)
            throws IOException {
        commitPatiently(runId, key, file, metadata, latest, Duration.ZERO, waiting -> LOG.warn(waiting));
    }

    /**
     * {@link #commit}, and while S3 stays away after those retries, again and again until {@code patience} has
     * passed ({@link PatientRetry}); {@code onWait} hears of each failed try.
     *
     * @throws IOException when S3 has not taken the checkpoint after the configured attempts and {@code patience}
     */
    public void commitPatiently(
            String runId,
            String key,
            Path file,
            Map<String, String> metadata,
            LatestCheckpoint latest,
            Duration patience,
            Consumer<String> onWait)
            throws IOException {
        retryPatiently("S3 to store " + key, patience, onWait, () -> {
            call(() -> client.uploadObject(UploadObjectArgs.builder()
                    .bucket(bucket)
                    .object(key)
                    .filename(file.toString(), UPLOAD_PART_BYTES)
                    .contentType("application/x-tar")
                    .userMetadata(metadata)
                    .build()));
            putJson(runPrefix(runId) + "latest.json", latest);
        });
    }

    /** {@link PatientRetry} with this store's retry settings ({@code s3.retry.*}). */
    public void retryPatiently(String waitingFor, Duration patience, Consumer<String> onWait, PatientRetry.Step step)
            throws IOException {
        PatientRetry.run(waitingFor, config.retry().attempts(), config.retry().initialDelay(), patience, onWait, step);
    }

    /** Deletes the checkpoints of a run that {@link Retention} gives up: beyond the newest {@code keepLast}, never the best nor latest's. */
    public void prune(String runId, int keepLast, LatestCheckpoint latest) throws IOException {
        List<String> keys = new ArrayList<>();
        call(() -> {
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket)
                    .prefix(runPrefix(runId) + "epoch-")
                    .build())) {
                keys.add(r.get().objectName());
            }
            return null;
        });
        for (String key : Retention.toDelete(keys, keepLast, latest)) {
            call(() -> {
                client.removeObject(
                        RemoveObjectArgs.builder().bucket(bucket).object(key).build());
                return null;
            });
            LOG.infof("pruned checkpoint %s", key);
        }
    }

    /** The run's checkpoint objects, oldest first, with size and the epoch/step/loss/acc metadata they carry. */
    public List<CheckpointObject> checkpoints(String runId) throws IOException {
        List<CheckpointObject> out = new ArrayList<>();
        call(() -> {
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket)
                    .prefix(runPrefix(runId) + "epoch-")
                    .build())) {
                String key = r.get().objectName();
                out.add(CheckpointObject.of(
                        key,
                        r.get().size(),
                        client.statObject(StatObjectArgs.builder()
                                        .bucket(bucket)
                                        .object(key)
                                        .build())
                                .userMetadata()));
            }
            return null;
        });
        return out;
    }

    public List<String> runIds() throws IOException {
        List<String> ids = new ArrayList<>();
        call(() -> {
            for (Result<Item> r : client.listObjects(
                    ListObjectsArgs.builder().bucket(bucket).prefix("runs/").build())) {
                String name = r.get().objectName();
                if (r.get().isDir()) {
                    ids.add(name.substring("runs/".length(), name.length() - 1));
                }
            }
            return null;
        });
        return ids;
    }

    public static String runPrefix(String runId) {
        return "runs/" + runId + "/";
    }

    private void putJson(String key, Object value) throws IOException {
        putBytes(key, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value), "application/json");
    }

    private void putBytes(String key, byte[] bytes, String contentType) throws IOException {
        call(() -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(
                        new ByteArrayInputStream(bytes), bytes.length, -1)
                .contentType(contentType)
                .build()));
    }

    private Optional<byte[]> readBytes(String key) throws IOException {
        return call(() -> {
            try (InputStream in = client.getObject(
                    GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return Optional.of(in.readAllBytes());
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** Runs an SDK call, turning the SDK's many checked exceptions into IOException. */
    private static <T> T call(S3Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws Exception;
    }
}
