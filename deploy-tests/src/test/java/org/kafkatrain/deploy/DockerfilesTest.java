package org.kafkatrain.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Each Dockerfile, checked without a container engine: multi-stage, non-root, its COPY sources present in the
 * build output, and the port, health path and environment that the service's own configuration names.
 */
class DockerfilesTest {
    private static final Pattern COPY_FROM_BUILD =
            Pattern.compile("--from=build\\s+(?:--chown=\\S+\\s+)?(/src/\\S+)\\s+\\S+");
    private static final Pattern HEALTH_URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)(/\\S*)");

    static Stream<Arguments> dockerfiles() {
        return Stream.of(
                Arguments.of("trainer-service/Dockerfile", ServiceConfig.trainer()),
                Arguments.of("trainer-service/Dockerfile.cuda", ServiceConfig.trainer()),
                Arguments.of("metrics-stream/Dockerfile", ServiceConfig.metrics()),
                Arguments.of("inference-service/Dockerfile", ServiceConfig.inference()),
                Arguments.of("ingest-service/Dockerfile", ServiceConfig.ingest()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dockerfiles")
    void buildsWithTheWrapperAndRunsTheFastJarAsAnUnprivilegedUser(String file, ServiceConfig service) {
        Dockerfile dockerfile = Dockerfile.read(Repo.DOCKER.resolve(file));
        assertThat(dockerfile.all("FROM")).hasSize(2);
        assertThat(dockerfile.all("FROM").get(0)).endsWith(" AS build");
        assertThat(String.join("\n", dockerfile.all("RUN"))).contains("./mvnw").contains("-pl " + service.module());
        Dockerfile image = dockerfile.finalStage();
        assertThat(image.last("USER"))
                .hasValueSatisfying(user -> assertThat(user).isNotIn("root", "0"));
        assertThat(image.last("ENTRYPOINT")).isPresent();
        // the fast-jar's launcher: run by the entrypoint itself, or named to run-java.sh (JAVA_APP_JAR)
        assertThat(String.join(" ", image.all("ENTRYPOINT")) + String.join(" ", image.all("ENV")))
                .contains("/deployments/quarkus-run.jar");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dockerfiles")
    void copiesOnlyWhatTheBuildProduces(String file, ServiceConfig service) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String copy :
                Dockerfile.read(Repo.DOCKER.resolve(file)).finalStage().all("COPY")) {
            Matcher m = COPY_FROM_BUILD.matcher(copy);
            assertThat(m.matches()).as("COPY from the build stage: %s", copy).isTrue();
            sources.add(m.group(1));
        }
        assertThat(sources).isNotEmpty();
        for (String source : sources) {
            Path local = Repo.ROOT.resolve(source.substring("/src/".length()));
            assertThat(source).startsWith("/src/" + service.module() + "/target/quarkus-app/");
            assertThat(matches(local))
                    .as("%s: %s exists after ./mvnw package (in %s)", file, source, local)
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dockerfiles")
    void exposesAndChecksTheServicesOwnPortAndHealthPath(String file, ServiceConfig service) {
        Dockerfile image = Dockerfile.read(Repo.DOCKER.resolve(file)).finalStage();
        assertThat(image.all("EXPOSE")).containsExactly(Integer.toString(service.httpPort()));
        Matcher health = HEALTH_URL.matcher(image.last("HEALTHCHECK").orElseThrow());
        assertThat(health.find()).isTrue();
        assertThat(Integer.parseInt(health.group(1))).isEqualTo(service.httpPort());
        assertThat(health.group(2)).isEqualTo(service.healthPath("ready"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dockerfiles")
    void setsOnlySettingsTheServiceReadsAndListensOnAllInterfacesOnlyInside(String file, ServiceConfig service) {
        Dockerfile image = Dockerfile.read(Repo.DOCKER.resolve(file)).finalStage();
        String entrypoint = image.last("ENTRYPOINT").orElseThrow();
        for (String env : image.envNames()) {
            // run-java.sh's own settings, or one the entrypoint passes on
            boolean launcher = env.startsWith("JAVA_") || entrypoint.contains("$" + env);
            assertThat(launcher || service.reads(env))
                    .as("%s sets %s, which %s does not read", file, env, service.module())
                    .isTrue();
        }
        assertThat(image.envNames()).contains("QUARKUS_HTTP_HOST");
        assertThat(service.httpHost()).isEqualTo("127.0.0.1");
    }

    /** A path, or a glob in its last part ({@code *.jar}), that names at least one existing file. */
    private static boolean matches(Path path) throws IOException {
        String last = path.getFileName().toString();
        if (!last.contains("*")) {
            return Files.exists(path);
        }
        try (DirectoryStream<Path> found = Files.newDirectoryStream(path.getParent(), last)) {
            return found.iterator().hasNext();
        }
    }
}
