package org.kafkatrain.faults;

import org.kafkatrain.testing.LocalStack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline's processes as an operator runs them: started and stopped through {@code ./kafka-train} with the
 * suite's own data folder and ports, so that a developer's stack on the default ports is never touched; killed,
 * stopped and paused with signals to the processes the script started.
 */
final class LocalProcesses {
    private final Path root;
    private final Path home;
    private final Path log;
    private final Map<String, String> env = new HashMap<>();
    private final Path trainerTmp;

    /**
     * @param basePort Kafka on basePort, its controller on +1, S3 on +2, trainer-service on +3, metrics-stream on +4
     */
    LocalProcesses(Path root, Path home, int basePort, Path trainerTmp) throws IOException {
        this.root = root;
        this.home = home;
        this.trainerTmp = trainerTmp;
        Files.createDirectories(home);
        this.log = home.resolve("kafka-train.log");
        env.put("KT_HOME", home.toString());
        env.put("KAFKA_PORT", Integer.toString(basePort));
        env.put("KAFKA_CONTROLLER_PORT", Integer.toString(basePort + 1));
        env.put("S3_PORT", Integer.toString(basePort + 2));
        env.put("TRAINER_PORT", Integer.toString(basePort + 3));
        env.put("METRICS_PORT", Integer.toString(basePort + 4));
        // The suite's stack is its own: addresses follow from the ports above, never from the caller's environment.
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + basePort);
        env.put("S3_ENDPOINT", "http://127.0.0.1:" + (basePort + 2));
        // Its own token too: the services refuse state-changing requests without one, and a caller's is not the suite's
        env.put("KAFKA_TRAIN_API_TOKEN", java.util.UUID.randomUUID().toString());
        env.put("TRAINER_HEAP", "3g");
        if (trainerTmp != null) {
            // Checkpoints spool to java.io.tmpdir: on a small tmpfs, the disk-full fault can fill it.
            env.put("TRAINER_JAVA_OPTS", "-Djava.io.tmpdir=" + trainerTmp);
        }
    }

    String bootstrapServers() {
        return env.get("KAFKA_BOOTSTRAP_SERVERS");
    }

    String s3Endpoint() {
        return env.get("S3_ENDPOINT");
    }

    String trainerUrl() {
        return "http://127.0.0.1:" + env.get("TRAINER_PORT");
    }

    String apiToken() {
        return env.get("KAFKA_TRAIN_API_TOKEN");
    }

    Path home() {
        return home;
    }

    /** The trainer's temp dir when it is a tmpfs of the suite's own. */
    java.util.Optional<Path> trainerTmp() {
        return java.util.Optional.ofNullable(trainerTmp);
    }

    /** The S3 credentials the script hands to every service (the caller's, or the local stack's development ones). */
    Map<String, String> stackEnv() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("kafka-train").toString(), "stack", "env")
                .directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("./kafka-train stack env failed (log: " + log + ")");
        }
        return LocalStack.parseEnv(out);
    }

    /** Starts whatever of broker, S3 server, trainer-service and metrics-stream is not running. */
    void up() throws IOException, InterruptedException {
        script("up");
    }

    /** Starts the broker and the S3 server where they are not running (the services stay as they are). */
    void stackStart() throws IOException, InterruptedException {
        script("stack", "start");
    }

    void down() throws IOException, InterruptedException {
        script("stack", "stop");
    }

    /** {@code ./kafka-train ingest ARGS}, in its own process; returns once it has exited successfully. */
    void ingest(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ingest"));
        command.addAll(args);
        script(command.toArray(String[]::new));
    }

    /** SIGKILL, then waits until the process is gone: no shutdown hook, no last checkpoint. */
    void kill9(Component c) throws IOException, InterruptedException {
        ProcessHandle p = process(c);
        p.destroyForcibly();
        await(p);
    }

    /** SIGTERM, as an operator's stop: the process shuts down its own way. */
    void stop(Component c) throws IOException, InterruptedException {
        ProcessHandle p = process(c);
        p.destroy();
        await(p);
    }

    /** SIGSTOP or SIGCONT: a process that hangs (and comes back) rather than one that dies. */
    void signal(Component c, String signal) throws IOException, InterruptedException {
        long pid = process(c).pid();
        int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .inheritIO()
                .start()
                .waitFor();
        if (rc != 0) {
            throw new IOException("kill -" + signal + " " + pid + " (" + c.label + ") failed: " + rc);
        }
    }

    private ProcessHandle process(Component c) throws IOException {
        long pid = Long.parseLong(Files.readString(home.resolve(c.pidFile)).strip());
        return ProcessHandle.of(pid).orElseThrow(() -> new IOException(c.label + " (pid " + pid + ") is not running"));
    }

    private static void await(ProcessHandle p) throws InterruptedException {
        try {
            p.onExit().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("pid " + p.pid() + " did not exit within 60 s", e);
        }
    }

    private void script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("kafka-train").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(Duration.ofMinutes(10).toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(
                    "./kafka-train " + String.join(" ", args) + " did not finish in 10 min (log: " + log + ")");
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IOException("./kafka-train " + String.join(" ", args) + " failed (" + p.exitValue() + "):\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
    }
}
