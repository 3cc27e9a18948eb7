package org.kafkatrain.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A process the launcher runs in its own terminal and waits for: the ingest command, the fault suite, benchmarks. */
final class Foreground {
    private Foreground() {}

    /** @return its exit status */
    static int run(List<String> command, Map<String, String> environment, Path directory) {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO().directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            try {
                return process.waitFor();
            } finally {
                process.destroy(); // Ctrl-C reaches both; the launcher leaves no child behind
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        }
    }

    /** The JVM the launcher runs on, for the processes it starts. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
