package org.kafkatrain.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.fixtures.TrainingData;
import org.kafkatrain.testing.LocalStack;
import org.kafkatrain.testing.LocalStackExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Two packaged trainers as the two replicas of one run (Gloo over a TCPStore on loopback, one libtorch thread
 * each), on a real broker and S3 server. A calm run finishes on both ranks, its status on rank 0 listing both, and
 * its step events (rank 0's, for the global batch) name step by step the very samples (by their id digest) that
 * one trainer with the joint batch of 32 trains: each epoch's 200 samples, once. A second run loses rank 1 to SIGKILL in the
 * middle of an epoch: rank 0 fails with the reason within the group's timeout instead of hanging; the restarted
 * group resumes from the last checkpoint and ends with weights and Adam moments bit-identical to the calm run's,
 * so no sample was trained twice or skipped.
 */
@ExtendWith(LocalStackExtension.class)
class ReplicasIT {
    private static final Duration GROUP_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aKilledReplicaFailsTheGroupInTimeAndTheRestartedGroupEndsAsACalmOne() throws Exception {
        LocalStack stack = LocalStack.ensureRunning();
        String id = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> config = TrainerProcess.twoEpochRun(stack, "replicas");
        config.put("replicas", 2);
        config.put("checkpointEvery", 2);
        int[] ports = {TrainerProcess.freePort(), TrainerProcess.freePort()};
        String rendezvous = "127.0.0.1:" + TrainerProcess.freePort();
        // rank 0 knows its peer: a client posts the run once, to rank 0, which forwards it
        Process rank0 = start(stack, ports[0], 0, rendezvous, "http://127.0.0.1:" + ports[1]);
        Process rank1 = start(stack, ports[1], 1, rendezvous, "");
        try {
            config.put("runId", "calm-" + id);
            TrainerProcess.authorized()
                    .port(ports[1])
                    .contentType(ContentType.JSON)
                    .body(config)
                    .post("/runs")
                    .then()
                    .statusCode(400)
                    .body("error", org.hamcrest.Matchers.containsString("posted to rank 0"));
            post(ports[0], config);
            JsonPath calm = awaitEnd(ports[0], "calm-" + id);
            assertThat(calm.getString("state")).as(calm.prettify()).isEqualTo("FINISHED");
            assertThat(awaitEnd(ports[1], "calm-" + id).getString("state")).isEqualTo("FINISHED");
            assertThat(calm.getList("replicas.rank", Integer.class)).containsExactly(0, 1);
            assertThat(calm.getLong("step"))
                    .as("200 samples in global batches of 32, twice")
                    .isEqualTo(14);

            Map<String, Object> single = new HashMap<>(config);
            single.put("runId", "single-" + id);
            single.put("replicas", 1);
            single.put("batchSize", 32);
            TrainerProcess.authorized()
                    .port(ports[0])
                    .contentType(ContentType.JSON)
                    .body(single)
                    .post("/runs")
                    .then()
                    .statusCode(201);
            assertThat(awaitEnd(ports[0], "single-" + id).getString("state")).isEqualTo("FINISHED");
            List<String> replicated = audit(stack, "calm-" + id);
            assertThat(replicated).hasSize(14).isEqualTo(audit(stack, "single-" + id));
            System.out.printf(
                    "[replicas] 2 x 16 and 1 x 32 trained the same samples in the same steps: %s ...%n",
                    replicated.subList(0, 2));

            config.put("runId", "killed-" + id);
            post(ports[0], config);
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        JsonPath s = status(ports[0], "killed-" + id);
                        return s.getString("lastCheckpoint") != null && s.getLong("step") >= 3;
                    });
            long stepAtKill = status(ports[0], "killed-" + id).getLong("step");
            rank1.destroyForcibly().waitFor();
            long t0 = System.nanoTime();
            JsonPath failed = awaitEnd(ports[0], "killed-" + id);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "[replicas] rank 1 killed -9 at step %d; rank 0 %s after %.1f s: %s%n",
                    stepAtKill, failed.getString("state"), seconds, failed.getString("message"));
            assertThat(failed.getString("state")).isEqualTo("FAILED");
            assertThat(failed.getString("message")).contains("rank 0 of 2");
            assertThat(seconds).isLessThan(GROUP_TIMEOUT.toSeconds() + 30);

            rank1 = start(stack, ports[1], 1, rendezvous, "");
            post(ports[0], config);
            JsonPath resumed = awaitEnd(ports[0], "killed-" + id);
            assertThat(resumed.getString("state")).as(resumed.prettify()).isEqualTo("FINISHED");
            assertThat(resumed.getLong("step")).isEqualTo(calm.getLong("step"));
        } finally {
            rank1.destroyForcibly().waitFor();
            rank0.destroyForcibly().waitFor();
        }
        Map<String, Object> a = TrainerProcess.lastCheckpoint(stack, "calm-" + id, "epoch-0001.tar");
        Map<String, Object> b = TrainerProcess.lastCheckpoint(stack, "killed-" + id, "epoch-0001.tar");
        assertThat(a.get("epoch_samples")).isEqualTo(200L);
        assertThat(b.get("epoch_samples")).isEqualTo(200L);
        int tensors = TrainerProcess.assertSameState(a, b);
        System.out.printf(
                "[replicas] restarted group equals the calm one: %d model tensors and Adam moments bit-identical%n",
                tensors);
    }

    /** Epoch, step, samples and sample-id digest of each of a run's training steps. */
    private static List<String> audit(LocalStack stack, String run) throws Exception {
        return TrainingData.steps(stack.kafkaBootstrapServers(), run).stream()
                .filter(s -> TrainingStep.STEP.equals(s.type()) && TrainingStep.TRAIN.equals(s.split()))
                .map(s -> s.epoch() + "/" + s.step() + ": " + s.samples() + " " + s.sampleDigest())
                .toList();
    }

    /** @param peers rank 0's peers (TRAINER_REPLICAS_PEERS), blank on the others */
    private static Process start(LocalStack stack, int port, int rank, String rendezvous, String peers)
            throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "TRAINER_REPLICAS_RANK",
                Integer.toString(rank),
                "TRAINER_REPLICAS_RENDEZVOUS",
                rendezvous,
                "TRAINER_REPLICAS_TIMEOUT",
                GROUP_TIMEOUT.toString(),
                "TRAINER_THREADS",
                "1"));
        if (!peers.isEmpty()) {
            env.put("TRAINER_REPLICAS_PEERS", peers);
        }
        return TrainerProcess.start(stack, stack.s3Endpoint(), port, env);
    }

    private static void post(int port, Map<String, Object> config) {
        TrainerProcess.authorized()
                .port(port)
                .contentType(ContentType.JSON)
                .body(config)
                .post("/runs")
                .then()
                .statusCode(201);
    }

    private static JsonPath status(int port, String run) {
        return given().port(port)
                .get("/runs/" + run)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static JsonPath awaitEnd(int port, String run) {
        await().atMost(Duration.ofMinutes(8))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> !List.of("PENDING", "RUNNING", "STOPPING")
                        .contains(status(port, run).getString("state")));
        return status(port, run);
    }
}
