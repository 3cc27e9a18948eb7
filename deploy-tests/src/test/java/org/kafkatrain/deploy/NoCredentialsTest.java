package org.kafkatrain.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * No credential in what ships: the rendered chart, docker/, and what the images are built from (each service's
 * quarkus-app: the application jar, our own libraries, Quarkus's generated code and recorded configuration).
 */
class NoCredentialsTest {
    /** The local stack's development credentials, an AWS access key id, a private key. */
    private static final Pattern CREDENTIAL =
            Pattern.compile("minioadmin|AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----");

    private static final List<String> SERVICES =
            List.of("trainer-service", "metrics-stream", "inference-service", "ingest-service");

    @Test
    void theRenderedChartHasNone() {
        for (String values : List.of("ci/minimal-values.yaml", "ci/gpu-values.yaml")) {
            assertThat(findings(values, Chart.render(values).manifest())).isEmpty();
        }
        assertThat(Repo.read(Repo.CHART.resolve("values.yaml"))).doesNotContainPattern(CREDENTIAL);
    }

    @Test
    void theDockerFilesHaveNone() throws IOException {
        try (Stream<Path> files = Files.walk(Repo.DOCKER)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (!file.getFileName().toString().equals(".env")) {
                    assertThat(findings(file.toString(), Repo.read(file))).isEmpty();
                }
            }
        }
    }

    @Test
    void theBuiltServicesHaveNone() throws IOException {
        int scanned = 0;
        for (String service : SERVICES) {
            Path app = Repo.ROOT.resolve(service).resolve("target/quarkus-app");
            assertThat(app).as("%s is built (./mvnw package)", service).isDirectory();
            List<Path> ours = new ArrayList<>();
            try (Stream<Path> files = Files.walk(app)) {
                files.filter(Files::isRegularFile)
                        .filter(f -> !f.startsWith(app.resolve("lib"))
                                || f.getFileName().toString().startsWith("org.kafkatrain."))
                        .forEach(ours::add);
            }
            for (Path file : ours) {
                assertThat(scan(file)).as(file.toString()).isEmpty();
                scanned++;
            }
        }
        assertThat(scanned).isGreaterThan(SERVICES.size() * 3);
    }

    /** The findings in a file, or in each entry of a jar. */
    private static List<String> scan(Path file) throws IOException {
        if (!file.toString().endsWith(".jar")) {
            return findings(file.toString(), Files.readString(file, StandardCharsets.ISO_8859_1));
        }
        List<String> found = new ArrayList<>();
        try (ZipFile jar = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                try (InputStream in = jar.getInputStream(entry)) {
                    found.addAll(findings(
                            file + "!" + entry.getName(), new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)));
                }
            }
        }
        return found;
    }

    private static List<String> findings(String where, String text) {
        return CREDENTIAL
                .matcher(text)
                .results()
                .map(m -> where + ": " + m.group())
                .toList();
    }
}
