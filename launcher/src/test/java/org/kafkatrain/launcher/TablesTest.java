package org.kafkatrain.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
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
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("object", "runs/r/epoch-0000-step-00000020.tar");
        step.put("bytes", 282_800_000L);
        step.put("epoch", "0");
        step.put("step", "20");
        step.put("loss", "1.5");
        step.put("acc1", "");
        assertThat(Tables.checkpoints(List.of(step)))
                .isEqualTo("object                               MB     epoch  step  loss  acc1  acc5\n"
                        + "runs/r/epoch-0000-step-00000020.tar  282.8  0      20    1.5   -     -\n");
    }
}
