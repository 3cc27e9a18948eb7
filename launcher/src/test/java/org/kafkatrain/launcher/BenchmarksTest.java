package org.kafkatrain.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Every benchmark the launcher runs is a main class of the benchmarks module, by the name it runs it by. */
class BenchmarksTest {
    @Test
    void everyBenchmarkNameIsAMainOfTheBenchmarksModule() throws IOException {
        Path bench = Path.of("..", "benchmarks", "src", "main", "java", "org", "kafkatrain", "bench");
        for (String name : Benchmarks.MAINS) {
            Path source = bench.resolve(name + ".java");
            assertThat(source).as(name).exists();
            assertThat(Files.readString(source)).as(name).contains("public static void main(String[] args)");
        }
        String launcher = Files.readString(Path.of("src/main/java/org/kafkatrain/launcher/Benchmarks.java"));
        assertThat(launcher)
                .as("benchmarks are run by the simple names of their mains")
                .doesNotContain("\"org.kafkatrain.trainer.", "\"org.kafkatrain.engine.", "\"org.kafkatrain.metrics.");
    }
}
