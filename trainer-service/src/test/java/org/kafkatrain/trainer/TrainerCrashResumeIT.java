package org.kafkatrain.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kafkatrain.testing.LocalStack;
import org.kafkatrain.testing.LocalStackExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The packaged trainer-service in its own process, killed with SIGKILL in the middle of an epoch and started again:
 * the run resumes from its last checkpoint, trains exactly the epoch's samples, and (CPU, same seed) ends with
 * weights and Adam moments bit-identical to an uninterrupted run on the same data.
 */
@ExtendWith(LocalStackExtension.class)
class TrainerCrashResumeIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @Test
    void killedRunResumesAndEndsWithTheUninterruptedRunsWeights() throws Exception {
        LocalStack stack = LocalStack.ensureRunning();
        String id = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> config = TrainerProcess.twoEpochRun(stack, "resume");
        config.put("checkpointEvery", 5);

        Process trainer = TrainerProcess.start(stack, stack.s3Endpoint());
        try {
            config.put("runId", "straight-" + id);
            TrainerProcess.post(config);
            JsonPath straight = TrainerProcess.awaitEnd("straight-" + id);
            assertThat(straight.getString("state")).isEqualTo("FINISHED");

            config.put("runId", "killed-" + id);
            TrainerProcess.post(config);
            // Kill once a mid-epoch checkpoint exists and training has moved past it.
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        JsonPath s = TrainerProcess.status("killed-" + id);
                        return s.getString("lastCheckpoint") != null
                                && s.getString("lastCheckpoint").contains("-step-")
                                && s.getLong("step") >= 7;
                    });
            long stepAtKill = TrainerProcess.status("killed-" + id).getLong("step");
            trainer.destroyForcibly().waitFor();
            System.out.printf("[trainer] killed -9 at step %d%n", stepAtKill);

            trainer = TrainerProcess.start(stack, stack.s3Endpoint());
            TrainerProcess.post(config);
            JsonPath resumed = TrainerProcess.awaitEnd("killed-" + id);
            assertThat(resumed.getString("state")).isEqualTo("FINISHED");
            assertThat(resumed.getLong("step")).isEqualTo(straight.getLong("step"));
        } finally {
            trainer.destroyForcibly().waitFor();
        }

        Map<String, Object> a = TrainerProcess.lastCheckpoint(stack, "straight-" + id, "epoch-0001.tar");
        Map<String, Object> b = TrainerProcess.lastCheckpoint(stack, "killed-" + id, "epoch-0001.tar");
        assertThat(b.get("epoch_samples")).isEqualTo(a.get("epoch_samples")).isEqualTo(200L);
        assertThat(b.get("step")).isEqualTo(a.get("step"));
        int tensors = TrainerProcess.assertSameState(a, b);
        System.out.printf(
                "[trainer] resumed run equals uninterrupted run: %d model tensors and Adam moments bit-identical%n",
                tensors);
    }
}
