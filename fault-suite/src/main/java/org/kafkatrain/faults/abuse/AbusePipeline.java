package org.kafkatrain.faults.abuse;

import org.kafkatrain.stack.Daemon;
import org.kafkatrain.stack.Repository;
import org.kafkatrain.stack.Stack;
import org.kafkatrain.stack.StackSettings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The pipeline the abuse suite attacks: the local stack's broker and S3 server, trainer-service, metrics-stream,
 * inference-service and ingest-service's upload server ({@code serve}), each a process of its own with a small heap,
 * on the suite's own ports and data folder so that a developer's stack is never touched. Started through
 * local-stack/control's {@link Stack} as {@code ./kafka-train up} and {@code serve} start them; a process that died
 * or stopped answering is started again so that the next case is judged on its own.
 */
final class AbusePipeline {
    /** The processes, each found through its pid file under the suite's home. */
    enum Service {
        KAFKA("Kafka broker", "kafka/kafka.pid"),
        S3("S3 server", "s3/s3.pid"),
        TRAINER("trainer-service", "trainer/trainer.pid"),
        METRICS("metrics-stream", "metrics/metrics.pid"),
        INFERENCE("inference-service", "inference/inference.pid"),
        INGEST("ingest-service serve", "ingest/ingest.pid");

        final String label;
        final String pidFile;

        Service(String label, String pidFile) {
            this.label = label;
            this.pidFile = pidFile;
        }
    }

    /** The heap of each service unless told otherwise: small, so that what a request allocates shows. */
    static final String HEAP = "512m";

    /**
     * inference-service's: reading a ResNet-50 checkpoint holds its storages and the tensors built from them (about
     * 600 MB for the weights and Adam's moments) in the heap at once, so with 512 MB it cannot load a model at all.
     */
    static final String INFERENCE_HEAP = "1g";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path root;
    private final Path home;
    private final int basePort;
    private final Map<String, String> env = new HashMap<>();
    private final Stack stack;

    /**
     * @param basePort Kafka on basePort, its controller on +1, S3 on +2, trainer-service on +3, metrics-stream on +4,
     *                 inference-service on +5, ingest-service's upload server on +6
     */
    AbusePipeline(Path root, Path home, int basePort) throws IOException {
        this.root = root;
        this.home = home.toAbsolutePath();
        this.basePort = basePort;
        Files.createDirectories(weightsDir());
        env.putAll(System.getenv());
        Map<String, String> own = new HashMap<>();
        own.put("KT_HOME", this.home.toString());
        own.put("KAFKA_PORT", Integer.toString(basePort));
        own.put("KAFKA_CONTROLLER_PORT", Integer.toString(basePort + 1));
        own.put("S3_PORT", Integer.toString(basePort + 2));
        own.put("TRAINER_PORT", Integer.toString(basePort + 3));
        own.put("METRICS_PORT", Integer.toString(basePort + 4));
        own.put("INFERENCE_PORT", Integer.toString(basePort + 5));
        // addresses follow from the ports above, never from a caller's exported stack
        own.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + basePort);
        own.put("S3_ENDPOINT", "http://127.0.0.1:" + (basePort + 2));
        own.put("TRAINER_URL", "http://127.0.0.1:" + (basePort + 3));
        // a token of its own: the services refuse state-changing requests without it
        own.put("KAFKA_TRAIN_API_TOKEN", UUID.randomUUID().toString());
        own.put("TRAINER_HEAP", System.getenv().getOrDefault("ABUSE_TRAINER_HEAP", HEAP));
        own.put("INFERENCE_HEAP", System.getenv().getOrDefault("ABUSE_INFERENCE_HEAP", INFERENCE_HEAP));
        own.put("INGEST_HEAP", System.getenv().getOrDefault("ABUSE_INGEST_HEAP", HEAP));
        // no JVM options of the caller's: the services run as shipped, with only the settings below
        own.put("TRAINER_JAVA_OPTS", "");
        own.put("INFERENCE_JAVA_OPTS", "");
        own.put("INGEST_JAVA_OPTS", "");
        // trainer.init-weights-dir: the folder the weights cases put their files in (unset by default: no file: path)
        own.put("TRAINER_INIT_WEIGHTS_DIR", weightsDir().toString());
        // trainer.max-queued-runs: 2 instead of 16, so that the queue fills with three requests
        own.put("TRAINER_MAX_QUEUED_RUNS", "2");
        env.putAll(own);
        this.stack = new Stack(StackSettings.of(env, root, Path.of("").toAbsolutePath()), new Repository(root));
    }

    Path home() {
        return home;
    }

    Path root() {
        return root;
    }

    /** trainer.init-weights-dir of the suite's trainer. */
    Path weightsDir() {
        return home.resolve("weights");
    }

    String token() {
        return env.get("KAFKA_TRAIN_API_TOKEN");
    }

    String bootstrapServers() {
        return env.get("KAFKA_BOOTSTRAP_SERVERS");
    }

    String s3Endpoint() {
        return env.get("S3_ENDPOINT");
    }

    String s3AccessKey() {
        return stack.settings().accessKey();
    }

    String s3SecretKey() {
        return stack.settings().secretKey();
    }

    String heap(Service s) {
        return switch (s) {
            case TRAINER -> env.get("TRAINER_HEAP");
            case INFERENCE -> env.get("INFERENCE_HEAP");
            case INGEST -> env.get("INGEST_HEAP");
            case METRICS -> "512m"; // as local-stack/control starts it
            case S3 -> "512m";
            case KAFKA -> "1g";
        };
    }

    int port(Service s) {
        return switch (s) {
            case KAFKA -> basePort;
            case S3 -> basePort + 2;
            case TRAINER -> basePort + 3;
            case METRICS -> basePort + 4;
            case INFERENCE -> basePort + 5;
            case INGEST -> basePort + 6;
        };
    }

    String url(Service s) {
        return "http://127.0.0.1:" + port(s);
    }

    /**
     * Everything, started where not running: broker, S3, trainer, metrics, inference, the upload server. Tried
     * three times: a port that was free a moment before can be a client connection's own for a moment (the local
     * ports of outgoing connections are drawn from 32768-60999), and what is running already is left as it is.
     */
    void up() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                stack.up();
                stack.inference();
                ingestServer();
                return;
            } catch (org.kafkatrain.stack.StackException e) {
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("[abuse] " + e.getMessage() + "; trying again");
                Thread.sleep(2000);
            }
        }
    }

    /** Stops everything the suite started. */
    void down() {
        ingestDaemon().stop();
        stack.stop();
    }

    /** The process of a service while it runs. */
    Optional<ProcessHandle> process(Service s) {
        Path file = home.resolve(s.pidFile);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(Files.readString(file).strip()))
                    .filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The services not running now. */
    List<Service> dead() {
        List<Service> out = new ArrayList<>();
        for (Service s : Service.values()) {
            if (process(s).isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** SIGKILL (a service that stopped answering), then starts it again; waits until it is ready. */
    void restart(Service s) throws InterruptedException {
        process(s).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
        up();
    }

    /** The last lines of a service's log, for a failure's detail. */
    Path log(Service s) {
        return switch (s) {
            case KAFKA -> home.resolve("kafka/server.log");
            case S3 -> home.resolve("s3/server.log");
            case INGEST -> home.resolve("ingest/ingest.log");
            default -> home.resolve(s.pidFile.replace(".pid", ".log"));
        };
    }

    /**
     * {@code ingest-service serve}: the upload API, as its container runs it; started here since the local stack has no
     * command for it.
     */
    private void ingestServer() {
        Daemon daemon = ingestDaemon();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap(Service.INGEST),
                "-Dquarkus.http.port=" + port(Service.INGEST),
                "-jar",
                stack.repository().application("ingest-service").toString(),
                "serve"));
        if (daemon.start(command, stack.settings().childEnvironment())) {
            daemon.await(
                    "ingest-service serve at " + url(Service.INGEST),
                    Duration.ofSeconds(120),
                    () -> ready(port(Service.INGEST)));
        }
    }

    private Daemon ingestDaemon() {
        return new Daemon(
                Service.INGEST.label, home.resolve(Service.INGEST.pidFile), log(Service.INGEST), port(Service.INGEST));
    }

    /**
     * {@code ingest-service ingest ARGS} in a JVM of its own, as {@code ./kafka-train ingest} runs it, with the
     * suite's heap for ingest.
     */
    ProcessBuilder ingestCommand(List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap(Service.INGEST),
                "-Dquarkus.http.port=0",
                "-jar",
                stack.repository().application("ingest-service").toString(),
                "ingest"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(stack.settings().childEnvironment());
        return pb;
    }

    private static boolean ready(int port) {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
