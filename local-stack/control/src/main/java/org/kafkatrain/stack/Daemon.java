package org.kafkatrain.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One of the stack's background processes, known by its pid file: started once (a second start finds it running),
 * in a session of its own so that a Ctrl-C on the launcher leaves it running, its output in its log; waited for
 * until a probe answers; stopped with SIGTERM, then SIGKILL after 30 s.
 *
 * @param name as messages name it ({@code Kafka}, {@code trainer-service})
 */
public record Daemon(String name, Path pidFile, Path log, int port) {
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** The process, while it runs. */
    public Optional<ProcessHandle> process() {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts {@code command} unless it runs already; refuses a port that a process this stack did not start holds.
     *
     * @return whether it started now (false: it was running)
     */
    public boolean start(List<String> command, Map<String, String> environment) {
        Optional<ProcessHandle> running = process();
        if (running.isPresent()) {
            Console.say(name + " already running (pid " + running.get().pid() + ")");
            return false;
        }
        if (portOpen(port)) {
            throw new StackException(
                    "port " + port + " is taken by a process this stack did not start; set the port's variable");
        }
        try {
            Files.createDirectories(pidFile.getParent());
            Files.createDirectories(log.getParent());
            List<String> detached = new ArrayList<>();
            // setsid: a session of its own, so that the terminal's Ctrl-C reaches the launcher, not the stack; it
            // execs in place (the launcher's child leads no group), so the pid is the server's own
            detached.add("setsid");
            detached.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(detached)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code ready} says yes, failing with the log's tail if the process ends first. */
    public void await(String what, Duration patience, BooleanSupplier ready) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (ready.getAsBoolean()) {
                Console.say(
                        what + " up (pid " + process().map(ProcessHandle::pid).orElse(-1L) + ", log " + log + ")");
                return;
            }
            if (process().isEmpty()) {
                System.err.print(tail(30));
                delete();
                throw new StackException(what + " exited during start (log: " + log + ")");
            }
            sleep(500);
        }
        throw new StackException(what + " not ready within " + patience.toSeconds() + " s (log: " + log + ")");
    }

    /** SIGTERM, and SIGKILL after 30 s; says so when it stopped a running process. */
    public void stop() {
        Optional<ProcessHandle> running = process();
        if (running.isEmpty()) {
            delete();
            return;
        }
        ProcessHandle process = running.get();
        process.destroy();
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            sleep(500);
        }
        if (process.isAlive()) {
            process.destroyForcibly();
            Console.say(name + " (pid " + process.pid() + ") killed after " + STOP_GRACE.toSeconds() + " s");
        }
        delete();
        Console.say(name + " stopped (pid " + process.pid() + ")");
    }

    public static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException e) {
            return "";
        }
    }

    private void delete() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}
