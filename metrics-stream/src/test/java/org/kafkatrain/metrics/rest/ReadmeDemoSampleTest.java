package org.kafkatrain.metrics.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's sample of what the demo prints has the format the demo prints: the header line as {@link EpochTable}
 * writes it, and each row as it would write that row's numbers. A change of the table's format fails here until the
 * README's sample is printed anew.
 */
class ReadmeDemoSampleTest {
    @Test
    void theReadmesEpochTableIsInTheDemosFormat() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        int header = readme.indexOf(EpochTable.HEADER);
        assertThat(header)
                .as("README.md holds the demo's table header:%n%s", EpochTable.HEADER)
                .isPositive();
        List<String> rows = readme.subList(header + 1, readme.size()).stream()
                .takeWhile(line -> !line.startsWith("```"))
                .toList();
        assertThat(rows).as("the demo's two epochs, train and val").hasSize(4);
        for (String row : rows) {
            String[] f = row.trim().split(" +");
            assertThat(row)
                    .as("a row as the demo prints it")
                    .isEqualTo(EpochTable.row(
                            Integer.parseInt(f[0]),
                            f[1],
                            Long.parseLong(f[2]),
                            Double.parseDouble(f[3]),
                            Double.parseDouble(f[4]),
                            Double.parseDouble(f[5]),
                            Double.parseDouble(f[6])));
        }
    }
}
