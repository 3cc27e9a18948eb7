package org.kafkatrain.inference.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.Sample;

import java.util.Collections;

class PredictionBatcherTest {
    @Test
    void aBatchLargerThanOneArrayIsRefusedInsteadOfOverflowing() {
        // 3000 images of 1 MiB share one pixel array: 3 GiB that int arithmetic made a negative size
        Sample image = new Sample("x", Sample.NO_LABEL, 1024, 1024, 1, new byte[1024 * 1024]);

        assertThatThrownBy(() -> PredictionBatcher.batch(Collections.nCopies(3000, image)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3000 images of 1048576 bytes")
                .hasMessageContaining("inference.batching.max-images");
    }
}
