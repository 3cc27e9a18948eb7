package org.kafkatrain.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository; the tests run in this module's folder, one below the root. */
final class Repo {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path DOCKER = ROOT.resolve("docker");
    static final Path CHART = ROOT.resolve("charts/kafka-train");

    private Repo() {}

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
