package org.kafkatrain.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local stack as tests see it: the launcher's real Kafka broker and S3 server, started through
 * {@code ./kafka-train stack start} when they are not running, and stopped again by whoever started them.
 * A stack that was already running (a developer's) is used as is and left running.
 */
public final class LocalStack {
    private static LocalStack instance;

    private final Path root;
    private final Map<String, String> env;
    private boolean startedHere;
    private boolean hookAdded;

    private LocalStack(Path root, Map<String, String> env) {
        this.root = root;
        this.env = env;
    }

    /** The running stack, started on first call if needed. */
    public static synchronized LocalStack ensureRunning() {
        if (instance == null) {
            Path root = projectRoot();
            instance = new LocalStack(root, parseEnv(launcher(root, "stack", "env")));
        }
        instance.startIfDown();
        return instance;
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

    public Path projectDir() {
        return root;
    }

    /**
     * Stops the Kafka broker as an operator would (SIGTERM to the process the launcher started), for fault tests;
     * {@link #start} brings it back on the same data.
     */
    public synchronized void stopKafka() throws InterruptedException {
        String home =
                System.getenv().getOrDefault("KT_HOME", root.resolve(".local").toString());
        Path pidFile = Path.of(home, "kafka", "kafka.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle broker =
                    ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no Kafka process " + pid));
            broker.destroy();
            broker.onExit().get(60, TimeUnit.SECONDS);
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot stop the local Kafka broker (" + pidFile + "): " + e, e);
        }
    }

    /** Starts whatever of the stack is not running (./kafka-train stack start). */
    public synchronized void start() {
        System.out.print(launcher(root, "stack", "start"));
    }

    /** Stops the servers if this JVM started them. */
    public synchronized void stopIfStartedHere() {
        if (startedHere) {
            launcher(root, "stack", "stop");
            startedHere = false;
        }
    }

    private void startIfDown() {
        URI s3 = URI.create(s3Endpoint());
        String[] kafka = kafkaBootstrapServers().split(":");
        boolean up = answers(kafka[0], Integer.parseInt(kafka[1])) && answers(s3.getHost(), s3.getPort());
        if (!up) {
            System.out.println("[local-stack] starting Kafka and S3 server through ./kafka-train stack start");
            System.out.print(launcher(root, "stack", "start"));
            if (!hookAdded) {
                // The last Quarkus test resource of a JVM is not always stopped before the JVM exits; whoever
                // started the servers stops them on the way out, so a build never leaves them running.
                Runtime.getRuntime().addShutdownHook(new Thread(this::stopIfStartedHere, "local-stack-stop"));
                hookAdded = true;
            }
            startedHere = true;
        }
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
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

    /** Runs the launcher and returns its standard output; its standard error goes to the test log. */
    private static String launcher(Path root, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = root.resolve("kafka-train").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process process = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("./kafka-train " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
