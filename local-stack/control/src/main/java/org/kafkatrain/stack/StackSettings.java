package org.kafkatrain.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack's settings, from the environment as {@code ./kafka-train} documents it: where it keeps its data
 * ({@code KT_HOME}), its ports, the development credentials of its S3 server, and how much disk it wants free.
 *
 * @param home       absolute: the S3 server (S3Proxy's filesystem-nio2) lost every multipart upload's parts under a
 *                   relative base directory
 * @param minFreeMb  the stack refuses to start with less free under {@code home}: a full disk fails the broker, S3
 *                   and RocksDB far from the cause
 * @param environment the caller's environment, which the stack's processes inherit
 */
public record StackSettings(
        Path home,
        int kafkaPort,
        int controllerPort,
        int s3Port,
        int trainerPort,
        int metricsPort,
        int inferencePort,
        String accessKey,
        String secretKey,
        String bootstrapServers,
        String s3Endpoint,
        long minFreeMb,
        Map<String, String> environment) {

    /** Well-known development credentials of the local stack only; every service reads them from the environment. */
    private static final String DEVELOPMENT_CREDENTIAL = "minioadmin";

    /** As {@code ApiToken.ENV}; the stack's control needs nothing of the project but itself. */
    private static final String API_TOKEN = "KAFKA_TRAIN_API_TOKEN";

    public static StackSettings of(Map<String, String> env, Path root, Path workingDirectory) {
        int kafkaPort = port(env, "KAFKA_PORT", 9092);
        int s3Port = port(env, "S3_PORT", 9000);
        return new StackSettings(
                absolute(workingDirectory.resolve(
                        env.getOrDefault("KT_HOME", root.resolve(".local").toString()))),
                kafkaPort,
                port(env, "KAFKA_CONTROLLER_PORT", 9093),
                s3Port,
                port(env, "TRAINER_PORT", 8081),
                port(env, "METRICS_PORT", 8082),
                port(env, "INFERENCE_PORT", 8083),
                env.getOrDefault("S3_ACCESS_KEY", DEVELOPMENT_CREDENTIAL),
                env.getOrDefault("S3_SECRET_KEY", DEVELOPMENT_CREDENTIAL),
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort),
                env.getOrDefault("S3_ENDPOINT", "http://127.0.0.1:" + s3Port),
                Long.parseLong(env.getOrDefault("KT_MIN_FREE_MB", "2048")),
                Map.copyOf(env));
    }

    /** What the stack's processes get besides the caller's environment: its addresses, ports and credentials. */
    public Map<String, String> exported() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("TRAINER_PORT", Integer.toString(trainerPort));
        out.put("METRICS_PORT", Integer.toString(metricsPort));
        out.put("INFERENCE_PORT", Integer.toString(inferencePort));
        out.put("S3_ACCESS_KEY", accessKey);
        out.put("S3_SECRET_KEY", secretKey);
        out.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        out.put("S3_ENDPOINT", s3Endpoint);
        out.put(API_TOKEN, apiToken());
        return out;
    }

    /**
     * The token the stack's services require of every state-changing request: {@code KAFKA_TRAIN_API_TOKEN} when
     * the caller sets one, else the one generated into the home at first use ({@code api-token}, its owner's only).
     */
    public String apiToken() {
        String given = environment.get(API_TOKEN);
        return given != null && !given.isBlank() ? given : TokenFile.readOrCreate(home.resolve("api-token"));
    }

    /** The environment of a process of the stack's. */
    public Map<String, String> childEnvironment() {
        Map<String, String> out = new LinkedHashMap<>(environment);
        out.putAll(exported());
        return out;
    }

    /** What {@code stack env} prints for other shells, in this order. */
    public Map<String, String> shellExports() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("KT_HOME", home.toString());
        out.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        out.put("S3_ENDPOINT", s3Endpoint);
        out.put("S3_ACCESS_KEY", accessKey);
        out.put("S3_SECRET_KEY", secretKey);
        out.put(API_TOKEN, apiToken());
        return out;
    }

    /** An environment variable's value, or {@code fallback}. */
    public String env(String name, String fallback) {
        String value = environment.get(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** A variable holding JVM options (TRAINER_JAVA_OPTS, ...), split on white space as a shell would. */
    public List<String> options(String name) {
        String value = env(name, "").strip();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    /** As {@code realpath -m}: absolute, the existing part's links resolved, the rest kept as written. */
    static Path absolute(Path path) {
        Path normal = path.toAbsolutePath().normalize();
        Path existing = normal;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return normal;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(normal));
        } catch (java.io.IOException e) {
            return normal;
        }
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        try {
            return value == null || value.isEmpty() ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new StackException(name + " is not a port: " + value);
        }
    }
}
