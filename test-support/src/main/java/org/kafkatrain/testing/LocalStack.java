package org.kafkatrain.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The tests' own local stack: the launcher's real Kafka broker and S3 server, started through
 * {@code ./kafka-train stack start} once per test JVM, in a home of its own under the repository's {@code target/}
 * and on free ports chosen at start, and stopped when the JVM's tests are over. A stack a developer started (the
 * default ports, {@code .local/}) is never used, stopped or written to, whatever the shell's environment says: the
 * launcher runs with this stack's addresses and home only.
 */
public final class LocalStack {
    /** Variables of a developer's shell ({@code eval "$(./kafka-train stack env)"}) that would point at their stack. */
    private static final List<String> INHERITED_ADDRESSES = List.of(
            "KT_HOME",
            "KAFKA_BOOTSTRAP_SERVERS",
            "S3_ENDPOINT",
            "S3_ACCESS_KEY",
            "S3_SECRET_KEY",
            "KAFKA_PORT",
            "KAFKA_CONTROLLER_PORT",
            "S3_PORT",
            "TRAINER_PORT",
            "METRICS_PORT",
            "INFERENCE_PORT",
            "KAFKA_TRAIN_API_TOKEN");

    private static LocalStack instance;

    private final Path root;
    private final Path home;
    private final Map<String, String> launcherEnv;
    private final Map<String, String> env;
    private boolean running;

    private LocalStack(Path root, Path home, Map<String, String> launcherEnv) {
        this.root = root;
        this.home = home;
        this.launcherEnv = launcherEnv;
        this.env = parseEnv(launcher("stack", "env"));
    }

    /** This JVM's stack, started on first call; stopped by a shutdown hook if no one stopped it before. */
    public static synchronized LocalStack ensureRunning() {
        if (instance == null) {
            instance = create();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "local-stack-stop"));
        }
        if (!instance.running) {
            instance.start();
        }
        return instance;
    }

    private static LocalStack create() {
        Path root = projectRoot();
        Path homes = root.resolve("target").resolve("test-stack");
        stopOrphans(root, homes);
        // One home per JVM, named by its pid: the modules' test JVMs run one after another, and a stack left by a
        // killed build is told apart from the next one's.
        Path home = homes.resolve(Long.toString(ProcessHandle.current().pid()));
        return new LocalStack(root, home, settings(home));
    }

    /**
     * The stack's home, ports and limits: chosen by the JVM's first caller and kept in the home, since a Quarkus test
     * loads this class again for each application it starts, and every copy must find the same stack.
     */
    private static Map<String, String> settings(Path home) {
        Path file = home.resolve("stack.properties");
        Properties settings = new Properties();
        try {
            if (Files.exists(file)) {
                try (var in = Files.newInputStream(file)) {
                    settings.load(in);
                }
            } else {
                settings.setProperty("KT_HOME", home.toString());
                for (String port : List.of(
                        "KAFKA_PORT",
                        "KAFKA_CONTROLLER_PORT",
                        "S3_PORT",
                        "TRAINER_PORT",
                        "METRICS_PORT",
                        "INFERENCE_PORT")) {
                    settings.setProperty(port, Integer.toString(freePort()));
                }
                // the stack's free-space floor is for a user's long runs; a test stack holds a few MB
                settings.setProperty("KT_MIN_FREE_MB", "256");
                Files.createDirectories(home);
                try (var out = Files.newOutputStream(file)) {
                    settings.store(
                            out,
                            "the test stack of JVM " + ProcessHandle.current().pid());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>();
        settings.stringPropertyNames().forEach(name -> env.put(name, settings.getProperty(name)));
        return env;
    }

    public String kafkaBootstrapServers() {
        return env.get("KAFKA_BOOTSTRAP_SERVERS");
    }

    public String s3Endpoint() {
        return env.get("S3_ENDPOINT");
    }

    public String s3AccessKey() {
        return env.get("S3_ACCESS_KEY");
    }

    public String s3SecretKey() {
        return env.get("S3_SECRET_KEY");
    }

    /** The token the stack generated, which its services and the application under test require. */
    public String apiToken() {
        return env.get("KAFKA_TRAIN_API_TOKEN");
    }

    public Path projectDir() {
        return root;
    }

    /** Where this stack keeps its data, pid files and logs. */
    public Path home() {
        return home;
    }

    /**
     * Stops the Kafka broker as an operator would (SIGTERM to the process the launcher started), for fault tests;
     * {@link #start} brings it back on the same data.
     */
    public synchronized void stopKafka() throws InterruptedException {
        Path pidFile = home.resolve("kafka").resolve("kafka.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle broker =
                    ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no Kafka process " + pid));
            broker.destroy();
            broker.onExit().get(60, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot stop the test stack's Kafka broker (" + pidFile + "): " + e, e);
        }
    }

    /** Starts whatever of this stack is not running (./kafka-train stack start). */
    public synchronized void start() {
        System.out.printf(
                "[local-stack] test stack in %s: Kafka %s, S3 %s%n", home, kafkaBootstrapServers(), s3Endpoint());
        System.out.print(launcher("stack", "start"));
        running = true;
    }

    /** Stops this stack and whatever the launcher started in its home (./kafka-train stack stop). */
    public synchronized void stop() {
        if (running) {
            launcher("stack", "stop");
            running = false;
        }
    }

    /** {@code export NAME=value} lines, as {@code stack env} prints them for a shell (the stack's values need no quoting). */
    public static Map<String, String> parseEnv(String output) {
        Map<String, String> env = new HashMap<>();
        for (String line : output.split("\n")) {
            String assignment = line.strip().replaceFirst("^export ", "");
            int eq = assignment.indexOf('=');
            if (eq > 0) {
                env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
            }
        }
        return env;
    }

    /** The environment a process of this stack's needs: the shell's, less a user's stack, plus this one's. */
    public Map<String, String> processEnv() {
        Map<String, String> processEnv = new HashMap<>(System.getenv());
        INHERITED_ADDRESSES.forEach(processEnv::remove);
        processEnv.putAll(launcherEnv);
        return processEnv;
    }

    /**
     * Stops the stacks of test JVMs that ended without stopping theirs (a build killed with {@code kill -9}), so that
     * their brokers do not outlive them.
     */
    private static void stopOrphans(Path root, Path homes) {
        if (!Files.isDirectory(homes)) {
            return;
        }
        try (var dirs = Files.list(homes)) {
            for (Path dir : dirs.toList()) {
                boolean jvmAlive = dir.getFileName().toString().matches("\\d+")
                        && ProcessHandle.of(Long.parseLong(dir.getFileName().toString()))
                                .map(ProcessHandle::isAlive)
                                .orElse(false);
                if (!jvmAlive) {
                    Map<String, String> env = new HashMap<>(System.getenv());
                    INHERITED_ADDRESSES.forEach(env::remove);
                    env.put("KT_HOME", dir.toString());
                    run(root, env, "stack", "stop");
                    deleteTree(dir); // stopped: its pids must not name someone else's processes later
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the launcher on this stack and returns its standard output; its standard error goes to the test log. */
    private String launcher(String... args) {
        return run(root, processEnv(), args);
    }

    private static String run(Path root, Map<String, String> env, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = root.resolve("kafka-train").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            // the output goes to a file, not a pipe: the servers it starts must not hold the pipe, and the timeout
            // below must hold even when the launcher hangs
            Path out = Files.createTempFile("local-stack-", ".out");
            builder.redirectOutput(out.toFile());
            Process process = builder.start();
            boolean ended = process.waitFor(5, TimeUnit.MINUTES);
            if (!ended) {
                process.destroyForcibly();
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            if (!ended || process.exitValue() != 0) {
                throw new IllegalStateException("./kafka-train " + String.join(" ", args) + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root: the nearest directory upwards from the working directory that holds the launcher. */
    public static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("kafka-train")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no ./kafka-train launcher above " + Path.of("").toAbsolutePath());
    }
}
