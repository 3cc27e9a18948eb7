package org.kafkatrain.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker/compose.yaml: parsed and validated by a real Compose implementation (docker-compose, which checks the
 * file against the Compose specification's schema without a Docker engine), and checked against the services'
 * own configuration: build files, ports, environment names, published addresses.
 */
class ComposeFileTest {
    private static final Path COMPOSE = Repo.DOCKER.resolve("compose.yaml");
    private static final Map<String, ServiceConfig> SERVICES = Map.of(
            "trainer", ServiceConfig.trainer(),
            "trainer-gpu", ServiceConfig.trainer(),
            "metrics", ServiceConfig.metrics(),
            "inference", ServiceConfig.inference(),
            "ingest", ServiceConfig.ingest());
    private static final Pattern ENV_USE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)");

    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() {
        // SnakeYAML resolves the file's anchors and merge keys (<<) as Compose does
        Map<String, Object> file = new Yaml().load(Repo.read(COMPOSE));
        services = (Map<String, Map<String, Object>>) file.get("services");
    }

    @Test
    void everyBuildPointsAtAnExistingDockerfile() {
        int builds = 0;
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            if (service.getValue().get("build") instanceof Map<?, ?> build) {
                Path context =
                        Repo.DOCKER.resolve((String) build.get("context")).normalize();
                assertThat(context).isEqualTo(Repo.ROOT);
                assertThat(context.resolve((String) build.get("dockerfile"))).isRegularFile();
                builds++;
            }
        }
        assertThat(builds).isEqualTo(SERVICES.size());
    }

    @Test
    void portsMatchTheServicesAndArePublishedOnLoopbackOnly() {
        SERVICES.forEach((name, config) ->
                assertThat(ports(name)).containsExactly("127.0.0.1:" + config.httpPort() + ":" + config.httpPort()));
        services.keySet()
                .forEach(name -> ports(name)
                        .forEach(port -> assertThat(port)
                                .as("%s publishes %s", name, port)
                                .startsWith("127.0.0.1:")));
    }

    @Test
    void environmentNamesAreOnesTheServicesRead() {
        SERVICES.forEach((name, config) -> {
            Map<?, ?> environment = (Map<?, ?>) services.get(name).get("environment");
            assertThat(environment).as(name).isNotEmpty();
            environment
                    .keySet()
                    .forEach(env -> assertThat(config.reads((String) env))
                            .as("%s sets %s, which %s does not read", name, env, config.module())
                            .isTrue());
        });
    }

    @Test
    void credentialsHaveNoDefaultsAndEveryVariableIsInTheExample() {
        String compose = Repo.read(COMPOSE);
        assertThat(compose).doesNotContain("minioadmin");
        for (String secret : List.of(
                "MINIO_ROOT_PASSWORD",
                "S3_SECRET_KEY",
                "S3_ACCESS_KEY",
                "MINIO_ROOT_USER",
                "INFERENCE_S3_ACCESS_KEY",
                "INFERENCE_S3_SECRET_KEY",
                "KAFKA_TRAIN_API_TOKEN")) {
            assertThat(compose).contains("${" + secret + ":?").doesNotContain("${" + secret + ":-");
        }
        String example = Repo.read(Repo.DOCKER.resolve(".env.example"));
        Matcher uses = ENV_USE.matcher(compose);
        while (uses.find()) {
            if (!uses.group(1).equals("KAFKA_TRAIN_VERSION") && !uses.group(1).equals("KAFKA_TRAIN_DATA")) {
                assertThat(example)
                        .as("docker/.env.example names %s", uses.group(1))
                        .contains(uses.group(1) + "=");
            }
        }
    }

    @Test
    void theGpuTrainerReservesTheHostsGpuAndRunsTheCudaImage() {
        Map<String, Object> gpu = services.get("trainer-gpu");
        assertThat(gpu.get("profiles")).isEqualTo(List.of("gpu"));
        assertThat(services.get("trainer").get("profiles")).isEqualTo(List.of("cpu"));
        assertThat(((Map<?, ?>) gpu.get("build")).get("dockerfile"))
                .isEqualTo("docker/trainer-service/Dockerfile.cuda");
        assertThat(gpu.get("deploy").toString()).contains("driver=nvidia").contains("capabilities=[gpu]");
    }

    /** The real parser: docker-compose config validates the file, and refuses it without the credentials. */
    @Test
    void aComposeImplementationAcceptsItAndRequiresTheCredentials(@TempDir Path dir) throws Exception {
        boolean installed = run(dir, List.of("docker-compose", "version")).exit() == 0;
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("docker-compose is missing: .ci/run installs Debian's docker-compose");
        }
        assumeTrue(installed, "docker-compose is not installed (apt-get install docker-compose)");
        Path env = dir.resolve("test.env");
        Files.writeString(
                env,
                "MINIO_ROOT_USER=u1\nMINIO_ROOT_PASSWORD=p1\nS3_ACCESS_KEY=u2\nS3_SECRET_KEY=p2\n"
                        + "INFERENCE_S3_ACCESS_KEY=u3\nINFERENCE_S3_SECRET_KEY=p3\nKAFKA_TRAIN_API_TOKEN=t1\n");
        Result valid = run(
                dir,
                List.of(
                        "docker-compose",
                        "-f",
                        COMPOSE.toString(),
                        "--env-file",
                        env.toString(),
                        "--profile",
                        "gpu",
                        "config"));
        assertThat(valid.exit()).as(valid.output()).isZero();
        assertThat(valid.output())
                .contains("trainer-gpu:")
                .contains("capabilities:")
                .contains("- gpu");

        Files.writeString(env, "MINIO_ROOT_USER=u1\nS3_ACCESS_KEY=u2\nS3_SECRET_KEY=p2\n");
        Result missing = run(
                dir, List.of("docker-compose", "-f", COMPOSE.toString(), "--env-file", env.toString(), "config", "-q"));
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.output()).contains("MINIO_ROOT_PASSWORD");

        // no open control API: without a token compose starts nothing
        Files.writeString(
                env,
                "MINIO_ROOT_USER=u1\nMINIO_ROOT_PASSWORD=p1\nS3_ACCESS_KEY=u2\nS3_SECRET_KEY=p2\n"
                        + "INFERENCE_S3_ACCESS_KEY=u3\nINFERENCE_S3_SECRET_KEY=p3\n");
        Result noToken = run(
                dir, List.of("docker-compose", "-f", COMPOSE.toString(), "--env-file", env.toString(), "config", "-q"));
        assertThat(noToken.exit()).isNotZero();
        assertThat(noToken.output()).contains("KAFKA_TRAIN_API_TOKEN");
    }

    @SuppressWarnings("unchecked")
    private static List<String> ports(String service) {
        return (List<String>) services.get(service).getOrDefault("ports", List.of());
    }

    private record Result(int exit, String output) {}

    private static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            // without docker/.env: only the variables the test gives
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return new Result(process.exitValue(), output);
    }
}
