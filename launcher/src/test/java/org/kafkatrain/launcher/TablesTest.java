package org.kafkatrain.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.runs.CheckpointObject;

import java.util.List;
import java.util.Map;

class TablesTest {
    @Test
    void columnsAreAsWideAsTheirWidestCell() {
        assertThat(Tables.render(List.of("a", "bb"), List.of(List.of("xxx", "y"), List.of("z", "wwww"))))
                .isEqualTo("a    bb\nxxx  y\nz    wwww\n");
    }

    @Test
    void checkpointsShowSizeInMegabytesAndDashesForMissingMetadata() {
        CheckpointObject step = CheckpointObject.of(
                "runs/r/epoch-0000-step-00000020.tar",
                282_800_000L,
                Map.of("epoch", "0", "step", "20", "loss", "1.5", "acc1", ""));
        assertThat(Tables.checkpoints(List.of(step)))
                .isEqualTo("object                               MB     epoch  step  loss  acc1  acc5\n"
                        + "runs/r/epoch-0000-step-00000020.tar  282.8  0      20    1.5   -     -\n");
    }
}
