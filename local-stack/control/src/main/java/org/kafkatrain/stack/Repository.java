package org.kafkatrain.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checkout {@code ./kafka-train} runs from, and what its modules built: classpaths of the local stack's servers
 * and the services' Quarkus applications, each built with the Maven wrapper on first use.
 */
public final class Repository {
    private final Path root;

    public Repository(Path root) {
        this.root = root;
    }

    /** The checkout of {@code -Dkafka-train.root} (the script sets it), else the nearest one above the directory. */
    public static Repository current() {
        String property = System.getProperty("kafka-train.root");
        if (property != null) {
            return new Repository(Path.of(property));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("kafka-train")) && Files.exists(dir.resolve("pom.xml"))) {
                return new Repository(dir);
            }
        }
        throw new StackException("no kafka-train checkout above " + Path.of("").toAbsolutePath());
    }

    public Path root() {
        return root;
    }

    /** A module's runtime classpath as its build wrote it ({@code target/classpath.txt}), built on first use. */
    public String classpath(String module) {
        Path file = root.resolve(module).resolve("target/classpath.txt");
        if (!Files.isRegularFile(file) || size(file) == 0) {
            build("building " + module + " (first use)", "-pl", module, "generate-resources");
        }
        return read(file).strip();
    }

    /** A module's classes and runtime classpath, for a main class of its own; built on first use. */
    public String mainClasspath(String module) {
        Path file = root.resolve(module).resolve("target/classpath.txt");
        if (!Files.isRegularFile(file) || size(file) == 0) {
            build("building " + module + " (first use)", "-pl", module, "-am", "install", "-DskipTests");
        }
        return root.resolve(module).resolve("target/classes") + ":" + read(file).strip();
    }

    /** A service's Quarkus application ({@code target/quarkus-app/quarkus-run.jar}), built on first use. */
    public Path application(String module) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            build("building " + module + " (first use, a few minutes)", "-pl", module, "-am", "install", "-DskipTests");
        }
        return jar;
    }

    /** Builds {@code module} and what it needs, every time: for benchmarks, which measure the sources as they are. */
    public void rebuild(String module) {
        build("building " + module, "-pl", module, "-am", "install", "-DskipTests");
    }

    /** A help text of {@code launcher/help/}. */
    public String help(String name) {
        return read(root.resolve("launcher/help").resolve(name));
    }

    /** The Maven wrapper, quietly, its output on standard error so that a command's standard output stays its own. */
    private void build(String why, String... args) {
        Console.say(why);
        List<String> command =
                new java.util.ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-q"));
        command.addAll(List.of(args));
        try {
            Process maven = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            try (InputStream out = maven.getInputStream()) {
                out.transferTo(System.err);
            }
            if (maven.waitFor() != 0) {
                throw new StackException("./mvnw " + String.join(" ", args) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while building", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
