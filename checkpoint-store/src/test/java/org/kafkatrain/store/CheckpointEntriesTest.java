package org.kafkatrain.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Map;

/** A checkpoint's own entries both ways, in the torch.save dict's layout: int64 partition keys, as Python reads them. */
class CheckpointEntriesTest {
    @Test
    void theEntriesRoundTripThroughTheDictLayout() {
        CheckpointEntries entries = new CheckpointEntries(
                3,
                false,
                96,
                41,
                0.75,
                null,
                null,
                new CheckpointEntries.Offsets("images.train", Map.of(0, 10L, 1, 4L), Map.of(0, 10L, 1, 4L), null),
                new CheckpointEntries.DeadLetters(Map.of("images.train-0", 57L), 2),
                "{\"v\":2}");
        Map<String, Object> dict = entries.toDict();
        assertThat(dict)
                .containsEntry("epoch", 3L)
                .containsEntry("epoch_complete", false)
                .containsEntry("epoch_samples", 96L)
                .containsEntry("step", 41L)
                .containsEntry("format", CheckpointEntries.FORMAT);
        assertThat((Map<?, ?>) ((Map<?, ?>) dict.get("offsets")).get("run_start"))
                .isEqualTo(Map.of(0L, 10L, 1L, 4L));
        assertThat(CheckpointEntries.fromDict(dict)).isEqualTo(entries);
        assertThat(CheckpointEntries.fromDict(Map.of("model", Map.of())))
                .as("torchvision's weights alone")
                .isNull();
    }
}
