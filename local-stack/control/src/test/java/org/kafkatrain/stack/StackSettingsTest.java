package org.kafkatrain.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/** The stack's settings from the environment, and what `stack env` prints of them for a shell. */
class StackSettingsTest {
    @Test
    void defaultsAndTheEnvironmentMakeTheStacksAddresses(@TempDir Path root) {
        StackSettings local = StackSettings.of(Map.of(), root, root);
        assertThat(local.home()).isEqualTo(root.resolve(".local"));
        assertThat(local.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(local.s3Endpoint()).isEqualTo("http://127.0.0.1:9000");
        assertThat(local.exported()).containsEntry("TRAINER_PORT", "8081").containsEntry("S3_ACCESS_KEY", "minioadmin");

        StackSettings other = StackSettings.of(
                Map.of("KAFKA_PORT", "19092", "S3_PORT", "19000", "TRAINER_JAVA_OPTS", " -Xss2m  -Dx=1 "), root, root);
        assertThat(other.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(other.s3Endpoint()).isEqualTo("http://127.0.0.1:19000");
        assertThat(other.options("TRAINER_JAVA_OPTS")).containsExactly("-Xss2m", "-Dx=1");
        assertThatThrownBy(() -> StackSettings.of(Map.of("S3_PORT", "ninety"), root, root))
                .hasMessageContaining("S3_PORT is not a port: ninety");
    }

    @Test
    void theApiTokenIsGeneratedOnceIntoTheHomeReadableByItsOwnerOnly(@TempDir Path root) throws Exception {
        StackSettings local = StackSettings.of(Map.of(), root, root);
        String token = local.apiToken();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        Path file = root.resolve(".local/api-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(StackSettings.of(Map.of(), root, root).apiToken()).isEqualTo(token);
        assertThat(local.exported()).containsEntry("KAFKA_TRAIN_API_TOKEN", token);
        assertThat(local.shellExports()).containsEntry("KAFKA_TRAIN_API_TOKEN", token);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }

        StackSettings given = StackSettings.of(Map.of("KAFKA_TRAIN_API_TOKEN", "chosen"), root, root);
        assertThat(given.exported()).containsEntry("KAFKA_TRAIN_API_TOKEN", "chosen");
        assertThat(StackSettings.of(Map.of(), root.resolve("other"), root.resolve("other"))
                        .apiToken())
                .isNotEqualTo(token);
    }

    @Test
    void aRelativeHomeIsMadeAbsoluteFromTheWorkingDirectoryWithItsLinksResolved(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        StackSettings settings = StackSettings.of(Map.of("KT_HOME", "link/not-yet/home"), dir, dir);
        assertThat(settings.home()).isEqualTo(real.toRealPath().resolve("not-yet/home"));
    }

    @Test
    void envQuotesOnlyWhatAShellWouldSplit() {
        assertThat(StackCommand.quoted("http://127.0.0.1:9000")).isEqualTo("http://127.0.0.1:9000");
        assertThat(StackCommand.quoted("/home/a b")).isEqualTo("'/home/a b'");
        assertThat(StackCommand.quoted("it's")).isEqualTo("'it'\\''s'");
    }
}
