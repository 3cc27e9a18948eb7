package org.kafkatrain.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kafkatrain.testing.LocalStack;
import org.kafkatrain.testing.LocalStackExtension;
import org.kafkatrain.testing.TcpGate;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Faults cost time, never data (issue 12), on real processes: the packaged trainer trains while the Kafka broker is
 * stopped for 15 s in epoch 0 (the epoch's evaluation has to wait for it), and while S3 is unreachable, for longer
 * than the upload's own retries, across epoch 0's checkpoint. That checkpoint's upload waits for S3 and shows the wait
 * while training goes on behind it, but no further than the next epoch's checkpoint, which waits for it; the run
 * reports no checkpoint until S3 has one, and ends exactly as an undisturbed run on the same data: same steps,
 * weights and Adam moments bit for bit.
 */
@ExtendWith(LocalStackExtension.class)
class OutagesCostTimeNotDataIT {
    @Test
    void aBrokerStopAndAnS3OutageDelayTheRunAndChangeNothing() throws Exception {
        LocalStack stack = LocalStack.ensureRunning();
        String id = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> config = TrainerProcess.twoEpochRun(stack, "outage");
        // The trainer reaches S3 through a gate this test can shut: S3 itself stays up for the other tests.
        try (TcpGate s3 = new TcpGate(URI.create(stack.s3Endpoint()).getPort())) {
            s3.open(true);
            Process trainer = TrainerProcess.start(stack, s3.url());
            try {
                config.put("runId", "calm-" + id);
                TrainerProcess.post(config);
                assertThat(TrainerProcess.awaitEnd("calm-" + id).getString("state"))
                        .isEqualTo("FINISHED");

                String run = "storm-" + id;
                config.put("runId", run);
                TrainerProcess.post(config);
                awaitStep(run, 3);
                stack.stopKafka();
                long stopped = System.nanoTime();
                System.out.printf(
                        "[outage] Kafka stopped at step %d%n",
                        TrainerProcess.status(run).getLong("step"));
                s3.open(false); // epoch 0's evaluation waits for Kafka; its checkpoint will meet a shut S3
                Thread.sleep(15_000);
                stack.start();
                System.out.printf(
                        "[outage] Kafka back after %.0f s, S3 still shut%n", (System.nanoTime() - stopped) / 1e9);

                String waiting = await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                () -> TrainerProcess.status(run).getString("message"),
                                m -> m.startsWith("waiting for S3"));
                System.out.printf("[outage] the run says: %s%n", waiting);
                Thread.sleep(40_000); // longer than the upload's own retries (6 attempts, 31 s)
                JsonPath during = TrainerProcess.status(run);
                assertThat(during.getString("state")).isEqualTo("RUNNING");
                assertThat(during.getInt("epoch"))
                        .as("training goes on behind epoch 0's upload, up to epoch 1's checkpoint, which waits for it")
                        .isBetween(0, 1);
                assertThat(during.getString("lastCheckpoint")).isNull();
                s3.open(true);
                System.out.printf("[outage] S3 open again after %.0f s%n", (System.nanoTime() - stopped) / 1e9);

                JsonPath end = TrainerProcess.awaitEnd(run);
                assertThat(end.getString("state")).as(end.getString("message")).isEqualTo("FINISHED");
                assertThat(end.getString("lastCheckpoint")).isEqualTo("runs/" + run + "/epoch-0001.tar");
                assertThat(end.getLong("step"))
                        .isEqualTo(TrainerProcess.status("calm-" + id).getLong("step"));
            } finally {
                trainer.destroyForcibly().waitFor();
            }
        }
        Map<String, Object> calm = TrainerProcess.lastCheckpoint(stack, "calm-" + id, "epoch-0001.tar");
        Map<String, Object> storm = TrainerProcess.lastCheckpoint(stack, "storm-" + id, "epoch-0001.tar");
        assertThat(storm.get("epoch_samples"))
                .isEqualTo(calm.get("epoch_samples"))
                .isEqualTo(200L);
        assertThat(TrainerProcess.lastCheckpoint(stack, "storm-" + id, "epoch-0000.tar")
                        .get("step"))
                .isEqualTo(13L);
        int tensors = TrainerProcess.assertSameState(calm, storm);
        System.out.printf(
                "[outage] run through a 15 s broker stop and a 40 s S3 outage equals the calm run: %d model tensors and"
                        + " Adam moments bit-identical%n",
                tensors);
    }

    private static void awaitStep(String run, long step) {
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> TrainerProcess.status(run).getLong("step") >= step);
    }
}
