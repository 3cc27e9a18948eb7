package org.kafkatrain.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import org.kafkatrain.contracts.EventJson;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a run's {@code latest.json} every second while the drill runs and checks that the object it names is there
 * in full: a reader of the bucket must never find the pointer ahead of its checkpoint. An S3 server that does not
 * answer (an injected outage) is not a violation.
 */
final class LatestWatcher implements AutoCloseable {
    static final String BUCKET = "checkpoints";

    private final MinioClient s3;
    private final String prefix;
    private final List<String> violations = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int checks;

    LatestWatcher(MinioClient s3, String runId) {
        this.s3 = s3;
        this.prefix = "runs/" + runId + "/";
        this.thread = new Thread(this::watch, "latest-watcher-" + runId);
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running) {
            check();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void check() {
        JsonNode latest;
        try (InputStream in = s3.getObject(GetObjectArgs.builder()
                .bucket(BUCKET)
                .object(prefix + "latest.json")
                .build())) {
            latest = EventJson.MAPPER.readTree(in);
        } catch (Exception e) {
            return; // none yet, or S3 away
        }
        String object = latest.path("object").asText();
        try {
            long size = s3.statObject(StatObjectArgs.builder()
                            .bucket(BUCKET)
                            .object(object)
                            .build())
                    .size();
            synchronized (this) {
                checks++;
                if (size == 0) {
                    violations.add("latest.json named " + object + ", an empty object");
                }
            }
        } catch (ErrorResponseException e) {
            synchronized (this) {
                violations.add("latest.json named " + object + ", which is not in the bucket ("
                        + e.errorResponse().code() + ")");
            }
        } catch (Exception e) {
            // S3 away between the two reads
        }
    }

    /** Stops watching; returns what it saw wrong, or a note that it never saw a checkpoint. */
    synchronized List<String> violations() {
        List<String> out = new ArrayList<>(violations);
        if (checks == 0) {
            out.add("latest.json was never seen during the run");
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
