package org.kafkatrain.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.CheckpointEvent;

import java.util.List;

class CheckpointOriginTest {
    private static final String HASH = "0123456789abcdef".repeat(4);

    @Test
    void aRunsModelComesOnlyFromObjectsDirectlyUnderItsOwnPrefix() {
        assertThat(CheckpointOrigin.refusal("run-1", "runs/run-1/epoch-0003.tar"))
                .isEmpty();
        assertThat(CheckpointOrigin.refusal("run-1", "runs/run-1/epoch-0003-step-00000040.tar"))
                .isEmpty();

        assertThat(CheckpointOrigin.refusal("run-1", "runs/run-2/epoch-0003.tar"))
                .isPresent();
        assertThat(CheckpointOrigin.refusal("run-1", "runs/run-10/epoch-0003.tar"))
                .isPresent();
        assertThat(CheckpointOrigin.refusal("run-1", "runs/run-1/../run-2/epoch-0003.tar"))
                .isPresent();
        assertThat(CheckpointOrigin.refusal("run-1", "runs/run-1/sub/epoch-0003.tar"))
                .isPresent();
        assertThat(CheckpointOrigin.refusal("run-1", "runs/run-1/..")).isPresent();
        assertThat(CheckpointOrigin.refusal("run-1", "runs/run-1/")).isPresent();
        assertThat(CheckpointOrigin.refusal("run-1", "elsewhere/runs/run-1/epoch-0003.tar"))
                .isPresent();
        assertThat(CheckpointOrigin.refusal("run-1", null)).isPresent();
        assertThat(CheckpointOrigin.refusal("../run-1", "runs/../run-1/epoch-0003.tar"))
                .hasValueSatisfying(why -> assertThat(why).contains("not a run id"));
        assertThat(CheckpointOrigin.refusal(null, "runs/null/epoch-0003.tar")).isPresent();
    }

    @Test
    void anAnnouncedCheckpointNeedsAHashToCheckTheDownloadAgainst() {
        assertThat(CheckpointOrigin.refusal(event("run-1", "runs/run-1/epoch-0001.tar", HASH)))
                .isEmpty();
        assertThat(CheckpointOrigin.refusal(event("run-1", "runs/run-1/epoch-0001.tar", null)))
                .hasValueSatisfying(why -> assertThat(why).contains("SHA-256"));
        assertThat(CheckpointOrigin.refusal(event("run-1", "runs/run-1/epoch-0001.tar", "")))
                .isPresent();
        assertThat(CheckpointOrigin.refusal(event("run-1", "runs/run-1/epoch-0001.tar", "not-a-hash")))
                .isPresent();
        assertThat(CheckpointOrigin.refusal(event("run-1", "runs/run-2/epoch-0001.tar", HASH)))
                .isPresent();
    }

    private static CheckpointEvent event(String runId, String object, String sha256) {
        return new CheckpointEvent(
                CheckpointEvent.VERSION,
                runId,
                "checkpoints",
                object,
                1,
                true,
                10,
                0.5,
                80.0,
                95.0,
                object,
                List.of("a", "b"),
                28,
                28,
                1,
                sha256,
                1000,
                0);
    }
}
