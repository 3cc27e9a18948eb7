package org.kafkatrain.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The local stack: a real Kafka broker (KRaft) and S3 server on loopback, and the services beside them, as
 * background processes under {@code KT_HOME} with a pid file and a log each. Starting what runs already is a no-op,
 * so every command can ask for what it needs.
 */
public final class Stack {
    /** Trainer ranks the local stack runs at most: its replica ports are TRAINER_PORT+11 on. */
    private static final int MAX_RANKS = 8;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StackSettings settings;
    private final Repository repository;
    private final String java =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    public Stack(StackSettings settings, Repository repository) {
        this.settings = settings;
        this.repository = repository;
    }

    public StackSettings settings() {
        return settings;
    }

    public Repository repository() {
        return repository;
    }

    /** Kafka and S3. */
    public void start() {
        kafka();
        s3();
    }

    /** The services first, then S3 and Kafka. */
    public void stop() {
        for (Daemon d : services()) {
            d.stop();
        }
        s3Daemon().stop();
        kafkaDaemon().stop();
    }

    /** A line per process; 3 when Kafka or S3 is not running. */
    public int status(PrintStream out) {
        int rc = 0;
        List<Daemon> shown = new ArrayList<>(List.of(kafkaDaemon(), s3Daemon()));
        shown.addAll(List.of(service("trainer"), service("metrics"), service("inference")));
        for (Daemon d : shown) {
            String address = switch (d.name()) {
                case "Kafka" -> settings.bootstrapServers();
                case "S3 server" -> settings.s3Endpoint();
                default -> "http://127.0.0.1:" + d.port();
            };
            var process = d.process();
            if (process.isPresent()) {
                out.printf(
                        "%-16s running  pid %-8s %s%n", d.name(), process.get().pid(), address);
            } else {
                out.printf("%-16s stopped%n", d.name());
                if (d == shown.get(0) || d == shown.get(1)) {
                    rc = 3;
                }
            }
        }
        return rc;
    }

    /** The broker, formatting its storage on first use; refuses to start short of {@code KT_MIN_FREE_MB} free. */
    public void kafka() {
        checkFreeSpace();
        Path dir = settings.home().resolve("kafka");
        String classpath = repository.classpath("local-stack/kafka");
        String log4j = "-Dlog4j2.configurationFile=" + repository.root().resolve("local-stack/kafka/log4j2.properties");
        Path properties = dir.resolve("server.properties");
        try {
            Files.createDirectories(dir);
            String template = Files.readString(repository.root().resolve("local-stack/kafka/server.properties"));
            Files.writeString(
                    properties,
                    template
                            + "\ncontroller.quorum.voters=1@127.0.0.1:" + settings.controllerPort()
                            + "\nlisteners=PLAINTEXT://127.0.0.1:" + settings.kafkaPort()
                            + ",CONTROLLER://127.0.0.1:" + settings.controllerPort()
                            + "\nadvertised.listeners=PLAINTEXT://127.0.0.1:" + settings.kafkaPort()
                            + "\nlog.dirs=" + dir.resolve("data") + "\n");
            if (!Files.exists(dir.resolve("data/meta.properties"))) {
                List<String> storageTool = List.of(java, "-cp", classpath, log4j, "kafka.tools.StorageTool");
                Path log = dir.resolve("format.log");
                String clusterId = run(log, concat(storageTool, "random-uuid"))
                        .lines()
                        .reduce((a, b) -> b)
                        .orElse("")
                        .strip();
                run(log, concat(storageTool, "format", "-t", clusterId, "-c", properties.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Daemon kafka = kafkaDaemon();
        if (kafka.start(
                List.of(java, "-Xms256m", "-Xmx1g", "-cp", classpath, log4j, "kafka.Kafka", properties.toString()),
                settings.childEnvironment())) {
            kafka.await(
                    "Kafka broker (KRaft) at " + settings.bootstrapServers(),
                    Duration.ofSeconds(90),
                    () -> Daemon.portOpen(settings.kafkaPort()));
        }
    }

    /** MinIO when a {@code minio} binary is on the PATH, S3Proxy from Maven Central otherwise; bucket checkpoints. */
    public void s3() {
        Path dir = settings.home().resolve("s3");
        List<String> command;
        var environment = settings.childEnvironment();
        try {
            Files.createDirectories(dir.resolve("data/checkpoints"));
            Path minio = onPath("minio");
            if (minio != null) {
                environment.put("MINIO_ROOT_USER", settings.accessKey());
                environment.put("MINIO_ROOT_PASSWORD", settings.secretKey());
                command = List.of(
                        minio.toString(),
                        "server",
                        "--address",
                        "127.0.0.1:" + settings.s3Port(),
                        dir.resolve("data").toString());
            } else {
                // generated from the environment into the ignored data folder, readable by its owner only
                Path properties = dir.resolve("s3proxy.properties");
                Files.deleteIfExists(properties);
                Files.createFile(
                        properties, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(
                        properties,
                        String.join(
                                        "\n",
                                        "s3proxy.endpoint=http://127.0.0.1:" + settings.s3Port(),
                                        "s3proxy.authorization=aws-v2-or-v4",
                                        "s3proxy.identity=" + settings.accessKey(),
                                        "s3proxy.credential=" + settings.secretKey(),
                                        "jclouds.provider=filesystem-nio2",
                                        "jclouds.filesystem.basedir=" + dir.resolve("data"),
                                        "jclouds.identity=" + settings.accessKey(),
                                        "jclouds.credential=" + settings.secretKey(),
                                        "jclouds.regions=us-east-1")
                                + "\n");
                command = List.of(
                        java,
                        "-Xmx512m",
                        "-cp",
                        repository.classpath("local-stack/s3"),
                        "-Dlogback.configurationFile=" + repository.root().resolve("local-stack/s3/logback.xml"),
                        "org.gaul.s3proxy.Main",
                        "--properties",
                        properties.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Daemon s3 = s3Daemon();
        if (s3.start(command, environment)) {
            s3.await(
                    "S3 server at " + settings.s3Endpoint() + ", bucket 'checkpoints'",
                    Duration.ofSeconds(90),
                    () -> Daemon.portOpen(settings.s3Port()));
        }
    }

    /** The stack plus trainer-service and metrics-stream. */
    public void up() {
        start();
        trainer(0, settings.trainerPort(), List.of("-Dtrainer.replicas.peers=" + String.join(",", peerUrls())));
        // metrics-stream is ready once its stores answer: after a restart, once they are restored from their
        // changelogs (tens of seconds for a long history) and a dead instance's group membership has expired (45 s)
        serve(
                service("metrics"),
                "metrics-stream",
                Duration.ofSeconds(300),
                List.of(
                        "-Xmx512m",
                        "-Dkafka-streams.state.dir=" + settings.home().resolve("metrics/state")));
    }

    /** The stack plus inference-service. */
    public void inference() {
        inference(settings.options("INFERENCE_JAVA_OPTS"));
    }

    /** The stack plus inference-service, with {@code javaOptions} in place of INFERENCE_JAVA_OPTS. */
    public void inference(List<String> javaOptions) {
        start();
        List<String> options = new ArrayList<>(List.of(
                "-Xmx" + settings.env("INFERENCE_HEAP", "3g"),
                "-Dorg.bytedeco.javacpp.cachedir=" + settings.home().resolve("javacpp")));
        options.addAll(javaOptions);
        serve(service("inference"), "inference-service", readiness(), options);
    }

    /** inference-service stopped, e.g. to restart it with other options. */
    public void stopInference() {
        service("inference").stop();
    }

    /**
     * Trainer ranks 1..n-1 beside the trainer (rank 0), on TRAINER_PORT+10+r, one libtorch thread share each; rank 0
     * forwards them a data-parallel run.
     */
    public void replicas(int n) {
        if (n > MAX_RANKS) {
            throw new StackException("the local stack runs up to " + MAX_RANKS + " trainer ranks, not " + n);
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / n);
        for (int r = 1; r < n; r++) {
            trainer(
                    r,
                    settings.trainerPort() + 10 + r,
                    List.of("-Dtrainer.replicas.rank=" + r, "-Dtrainer.threads=" + threads));
        }
    }

    /** Where the local ranks 1..MAX_RANKS-1 listen, whether they run or not: rank 0's peers. */
    private List<String> peerUrls() {
        List<String> urls = new ArrayList<>();
        for (int r = 1; r < MAX_RANKS; r++) {
            urls.add("http://127.0.0.1:" + (settings.trainerPort() + 10 + r));
        }
        return urls;
    }

    private void trainer(int rank, int port, List<String> extra) {
        List<String> options = new ArrayList<>(List.of(
                "-Xmx" + settings.env("TRAINER_HEAP", "4g"),
                "-Dorg.bytedeco.javacpp.cachedir=" + settings.home().resolve("javacpp")));
        options.addAll(extra);
        options.addAll(settings.options("TRAINER_JAVA_OPTS"));
        Daemon daemon = rank == 0
                ? service("trainer")
                : new Daemon(
                        "trainer-service trainer-" + rank,
                        settings.home().resolve("trainer-" + rank + "/trainer-" + rank + ".pid"),
                        settings.home().resolve("trainer-" + rank + "/trainer-" + rank + ".log"),
                        port);
        serve(daemon, "trainer-service", readiness(), options);
    }

    /** A service's application in the background, waited for until its readiness check answers. */
    private void serve(Daemon daemon, String module, Duration patience, List<String> options) {
        Path jar = repository.application(module);
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options);
        command.addAll(List.of("-Dquarkus.http.port=" + daemon.port(), "-jar", jar.toString()));
        if (daemon.start(command, settings.childEnvironment())) {
            daemon.await(daemon.name() + " at http://127.0.0.1:" + daemon.port(), patience, () -> ready(daemon.port()));
        }
    }

    private Duration readiness() {
        return Duration.ofSeconds(Long.parseLong(settings.env("READY_SECONDS", "120")));
    }

    private Daemon kafkaDaemon() {
        Path dir = settings.home().resolve("kafka");
        return new Daemon("Kafka", dir.resolve("kafka.pid"), dir.resolve("server.log"), settings.kafkaPort());
    }

    private Daemon s3Daemon() {
        Path dir = settings.home().resolve("s3");
        return new Daemon("S3 server", dir.resolve("s3.pid"), dir.resolve("server.log"), settings.s3Port());
    }

    /** A service by its folder under KT_HOME: trainer, metrics, inference. */
    private Daemon service(String name) {
        Path dir = settings.home().resolve(name);
        int port = switch (name) {
            case "trainer" -> settings.trainerPort();
            case "metrics" -> settings.metricsPort();
            default -> settings.inferencePort();
        };
        String display = switch (name) {
            case "trainer" -> "trainer-service";
            case "metrics" -> "metrics-stream";
            default -> "inference-service";
        };
        return new Daemon(display, dir.resolve(name + ".pid"), dir.resolve(name + ".log"), port);
    }

    /** The services in the order they stop: inference, metrics, the trainer and its replica ranks. */
    private List<Daemon> services() {
        List<Daemon> all = new ArrayList<>(List.of(service("inference"), service("metrics"), service("trainer")));
        try (Stream<Path> dirs = Files.exists(settings.home()) ? Files.list(settings.home()) : Stream.empty()) {
            dirs.filter(d -> d.getFileName().toString().matches("trainer-\\d+"))
                    .sorted()
                    .forEach(d -> {
                        String name = d.getFileName().toString();
                        all.add(new Daemon(
                                "trainer-service " + name, d.resolve(name + ".pid"), d.resolve(name + ".log"), 0));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /**
     * The broker, the S3 server and metrics-stream's RocksDB all write under KT_HOME. On a full disk they fail far
     * from the cause (RocksDB could not even unpack its library), so the stack refuses to start short of the floor.
     */
    private void checkFreeSpace() {
        Path home = settings.home();
        try {
            Files.createDirectories(home);
            long freeMb = Files.getFileStore(home).getUsableSpace() / (1024 * 1024);
            if (freeMb >= settings.minFreeMb()) {
                return;
            }
            String largest;
            try (Stream<Path> entries = Files.list(home)) {
                largest = entries.map(p -> new Object[] {p, bytes(p)})
                        .sorted(Comparator.comparingLong((Object[] e) -> (Long) e[1])
                                .reversed())
                        .limit(3)
                        .map(e -> e[0] + " " + (Long) e[1] / (1024 * 1024) + "M")
                        .reduce((a, b) -> a + ", " + b)
                        .map(s -> "; the largest there: " + s)
                        .orElse("");
            }
            throw new StackException("only " + freeMb + " MB free under " + home + ", the stack wants "
                    + settings.minFreeMb() + " (KT_MIN_FREE_MB)" + largest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long bytes(Path path) {
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static boolean ready(int port) {
        try {
            HttpResponse<Void> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** A command in the foreground, its output to {@code log}; returns that output, failing with it. */
    private static String run(Path log, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Files.writeString(log, out, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (p.waitFor() != 0) {
                System.err.print(out);
                throw new StackException("formatting Kafka storage failed (log: " + log + ")");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    private static Path onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
