package org.kafkatrain.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Where the launcher keeps the stack. It works on an absolute KT_HOME whatever it is given: the S3 server it starts (S3Proxy, jclouds'
 * filesystem-nio2) keeps its objects under KT_HOME, and under a relative base directory it lost every multipart
 * upload's parts ("One or more of the specified parts could not be found"), so a checkpoint never stored.
 */
class LauncherHomeTest {
    @Test
    void aRelativeHomeIsMadeAbsoluteFromTheWorkingDirectory() throws IOException, InterruptedException {
        Path cwd = Path.of("target").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(Repo.ROOT.resolve("kafka-train").toString(), "stack", "env")
                .directory(cwd.toFile())
                .redirectErrorStream(true);
        pb.environment().put("KT_HOME", "relative-home/quality");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("export KT_HOME=" + cwd.resolve("relative-home/quality") + "\n");
    }

    @Test
    void theStackRefusesToStartWithLessFreeDiskThanItWants() throws IOException, InterruptedException {
        Path home = Path.of("target/low-disk-home").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(Repo.ROOT.resolve("kafka-train").toString(), "stack", "start")
                .redirectErrorStream(true);
        pb.environment().put("KT_HOME", home.toString());
        // more than any disk has, so the real free space (df) is always short of it
        pb.environment().put("KT_MIN_FREE_MB", "1000000000000");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).containsPattern("only \\d+ MB free under " + home + ", the stack wants 1000000000000");
        assertThat(home.resolve("kafka")).doesNotExist();
    }
}
