package org.kafkatrain.contracts.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where benchmarks leave their figures for {@code ./kafka-train report}: one JSON line per {@link BenchFigure},
 * appended to the file that the environment variable {@code BENCH_RESULTS} names. Without it a benchmark only prints,
 * as it always did. Appending line by line lets several benchmark processes, one after the other, fill one file.
 */
public final class BenchResults {
    public static final String ENV = "BENCH_RESULTS";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<Path> file;

    private BenchResults(Optional<Path> file) {
        this.file = file;
    }

    /** The file {@code BENCH_RESULTS} names, or nowhere when it is unset or blank. */
    public static BenchResults fromEnvironment() {
        return to(Optional.ofNullable(System.getenv(ENV))
                .filter(s -> !s.isBlank())
                .map(Path::of));
    }

    public static BenchResults to(Optional<Path> file) {
        return new BenchResults(file);
    }

    public void add(BenchFigure figure) {
        if (file.isEmpty()) {
            return;
        }
        try {
            Path parent = file.get().toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(
                    file.get(),
                    JSON.writeValueAsString(figure) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file.get(), e);
        }
    }

    /** Every figure in {@code file}, in the order the benchmarks wrote them. */
    public static List<BenchFigure> read(Path file) throws IOException {
        List<BenchFigure> figures = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                figures.add(JSON.readValue(line, BenchFigure.class));
            }
        }
        return figures;
    }
}
