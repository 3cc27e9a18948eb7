package org.kafkatrain.trainer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kafkatrain.contracts.runs.AdamKernel;
import org.kafkatrain.contracts.runs.CheckpointObject;
import org.kafkatrain.contracts.runs.RunField;
import org.kafkatrain.contracts.runs.RunOverride;
import org.kafkatrain.contracts.runs.RunRequest;
import org.kafkatrain.contracts.runs.RunSpec;
import org.kafkatrain.contracts.runs.RunSpecs;
import org.kafkatrain.store.CheckpointStore;
import org.kafkatrain.store.LatestCheckpoint;
import org.kafkatrain.store.RunDocument;
import org.kafkatrain.store.S3Config;
import org.kafkatrain.testing.LocalStack;
import org.kafkatrain.testing.LocalStackExtension;
import org.kafkatrain.testing.SelfSignedCa;
import org.kafkatrain.testing.TcpGate;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The checkpoint store against the real S3 server, and against one that is down. */
@ExtendWith(LocalStackExtension.class)
class CheckpointStoreIT {

    @Test
    void latestMovesOnlyAfterAFullUploadAndAFailedUploadLeavesItAlone(@TempDir Path dir) throws Exception {
        LocalStack stack = LocalStack.ensureRunning();
        CheckpointStore store = store(stack.s3Endpoint(), stack, 3);
        store.ensureBucket();
        String run = "store-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = Files.write(dir.resolve("ckpt.tar"), new byte[1234]);

        store.commit(
                run,
                "runs/" + run + "/epoch-0000.tar",
                file,
                Map.of("epoch", "0"),
                latest(run, "epoch-0000", 0, 50.0, "epoch-0000"));
        store.commit(
                run,
                "runs/" + run + "/epoch-0001.tar",
                file,
                Map.of("epoch", "1"),
                latest(run, "epoch-0001", 1, 40.0, "epoch-0000"));
        assertThat(store.latest(run).orElseThrow().object()).isEqualTo("runs/" + run + "/epoch-0001.tar");

        // S3 goes away: the upload fails after its retries, and latest.json still names epoch 1.
        CheckpointStore down = store("http://127.0.0.1:1", stack, 3);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> down.commit(
                        run,
                        "runs/" + run + "/epoch-0002.tar",
                        file,
                        Map.of(),
                        latest(run, "epoch-0002", 2, 60.0, "epoch-0002")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("after 3 attempts");
        assertThat((System.nanoTime() - t0) / 1e9).as("backoff 50 + 100 ms").isGreaterThanOrEqualTo(0.15);
        assertThat(store.latest(run).orElseThrow().object()).isEqualTo("runs/" + run + "/epoch-0001.tar");

        // Pruning to the last 1 keeps the newest and the best (epoch 0 had the best top-1).
        store.commit(
                run,
                "runs/" + run + "/epoch-0002.tar",
                file,
                Map.of(),
                latest(run, "epoch-0002", 2, 45.0, "epoch-0000"));
        store.prune(run, 1, store.latest(run).orElseThrow());
        assertThat(store.checkpoints(run))
                .extracting(CheckpointObject::object)
                .containsExactly("runs/" + run + "/epoch-0000.tar", "runs/" + run + "/epoch-0002.tar");
    }

    @Test
    void overridesAccumulateInRunJsonAndTheSpecFollowsTheLast() throws Exception {
        LocalStack stack = LocalStack.ensureRunning();
        CheckpointStore store = store(stack.s3Endpoint(), stack, 3);
        store.ensureBucket();
        String run = "store-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(store.runDocument(run)).isEmpty();
        store.writeRunDocument(RunDocument.started(spec(run, "d"), null, Map.of(0, 5L), null));
        assertThat(store.runDocument(run).orElseThrow().overrides()).isEmpty();

        store.recordOverride(run, spec(run, "d2"), List.of("data.dataset d -> d2"));
        store.recordOverride(run, spec(run, "d3"), List.of("data.dataset d2 -> d3", "data.seed 1 -> 2"));

        RunDocument document = store.runDocument(run).orElseThrow();
        assertThat(document.overrides())
                .extracting(RunOverride::changes)
                .containsExactly(List.of("data.dataset d -> d2"), List.of("data.dataset d2 -> d3", "data.seed 1 -> 2"));
        assertThat(document.overrides().get(0).at()).isPositive();
        assertThat(document.spec().data().dataset()).isEqualTo("d3");
        assertThat(document.runStartOffsets()).isEqualTo(Map.of(0, 5L));
    }

    private static RunSpec spec(String run, String dataset) {
        return RunSpecs.resolve(
                RunRequest.forRun(run).with(RunField.DATASET, dataset),
                new RunSpecs.Deployment("t", "v", "cpu", AdamKernel.FUSED));
    }

    @Test
    void anEpochCheckpointWaitsForS3ToComeBackInsteadOfBeingLost(@TempDir Path dir) throws Exception {
        LocalStack stack = LocalStack.ensureRunning();
        String run = "patience-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = Files.write(dir.resolve("ckpt.tar"), new byte[4321]);
        int s3Port = java.net.URI.create(stack.s3Endpoint()).getPort();
        try (TcpGate gate = new TcpGate(s3Port)) {
            CheckpointStore store = store(gate.url(), stack, 2);
            List<String> waits = new ArrayList<>();

            // S3 away, no patience (a mid-epoch checkpoint): it fails after its retries.
            assertThatThrownBy(() -> store.commitPatiently(
                            run,
                            "runs/" + run + "/epoch-0000.tar",
                            file,
                            Map.of(),
                            latest(run, "epoch-0000", 0, 50.0, "epoch-0000"),
                            Duration.ZERO,
                            waits::add))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("after 2 attempts");

            // S3 away for 3 s, patience 60 s (an epoch checkpoint): it waits, says so, and is stored when S3 is back.
            Thread reopen = new Thread(() -> {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                gate.open(true);
            });
            reopen.start();
            store.commitPatiently(
                    run,
                    "runs/" + run + "/epoch-0000.tar",
                    file,
                    Map.of(),
                    latest(run, "epoch-0000", 0, 50.0, "epoch-0000"),
                    Duration.ofSeconds(60),
                    waits::add);
            reopen.join();
            assertThat(waits)
                    .isNotEmpty()
                    .allMatch(w -> w.startsWith("waiting for S3 to store runs/" + run + "/epoch-0000.tar"));
            assertThat(store.latest(run).orElseThrow().object()).isEqualTo("runs/" + run + "/epoch-0000.tar");
        }
    }

    private static LatestCheckpoint latest(String run, String name, int epoch, double acc1, String best) {
        return new LatestCheckpoint(
                1,
                run,
                "runs/" + run + "/" + name + ".tar",
                epoch,
                true,
                epoch * 10L,
                1.0,
                acc1,
                90.0,
                "runs/" + run + "/" + best + ".tar",
                50.0,
                System.currentTimeMillis(),
                null);
    }

    @Test
    void anHttpsEndpointWithAPrivateCaIsTrustedThroughTheCaFileOnly(@TempDir Path dir) throws Exception {
        LocalStack stack = LocalStack.ensureRunning();
        SelfSignedCa ca = SelfSignedCa.create(dir);
        int s3Port = URI.create(stack.s3Endpoint()).getPort();
        try (TcpGate https = TcpGate.withTls(s3Port, ca.serverContext())) {
            https.open(true);
            assertThat(https.url()).startsWith("https://");
            CheckpointStore trusting =
                    store(https.url(), stack, 1, Map.of("s3.ca-file", ca.pem().toString()));
            trusting.ensureBucket();
            String run = "tls-" + UUID.randomUUID().toString().substring(0, 8);
            Path file = Files.write(dir.resolve("ckpt.tar"), new byte[4321]);
            trusting.commit(
                    run,
                    "runs/" + run + "/epoch-0000.tar",
                    file,
                    Map.of("epoch", "0"),
                    latest(run, "epoch-0000", 0, 50.0, "epoch-0000"));
            assertThat(trusting.latest(run).orElseThrow().object()).isEqualTo("runs/" + run + "/epoch-0000.tar");

            // without the CA file the JVM's trust store refuses the certificate
            CheckpointStore plain = store(https.url(), stack, 1);
            assertThatThrownBy(() -> plain.latest(run)).hasStackTraceContaining("PKIX");
        }
    }

    private static CheckpointStore store(String endpoint, LocalStack stack, int attempts) {
        return store(endpoint, stack, attempts, Map.of());
    }

    private static CheckpointStore store(String endpoint, LocalStack stack, int attempts, Map<String, String> more) {
        Map<String, String> properties = new HashMap<>(more);
        properties.putAll(Map.of(
                "s3.endpoint",
                endpoint,
                "s3.access-key",
                stack.s3AccessKey(),
                "s3.secret-key",
                stack.s3SecretKey(),
                "s3.retry.attempts",
                Integer.toString(attempts),
                "s3.retry.initial-delay",
                "PT0.05S"));
        S3Config config = new SmallRyeConfigBuilder()
                .withMapping(S3Config.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(S3Config.class);
        return new CheckpointStore(config, new ObjectMapper());
    }
}
