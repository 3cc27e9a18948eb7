package org.kafkatrain.trainer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A killed trainer's spool file is deleted by the next checkpoint of any trainer; a live process's never is. */
class CheckpointSpoolTest {

    @Test
    void deletesOnlyTheFilesOfEndedProcesses(@TempDir Path dir) throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Process running = new ProcessBuilder("sleep", "60").start();
        try {
            CheckpointSpool spool = new CheckpointSpool(dir);
            Path mine = Files.write(spool.newFile("r1"), new byte[10]);
            Path orphan = Files.write(dir.resolve(CheckpointSpool.PREFIX + ended.pid() + "-r-1-x.tar"), new byte[1000]);
            Path otherReplica =
                    Files.write(dir.resolve(CheckpointSpool.PREFIX + running.pid() + "-r-1-y.tar"), new byte[100]);
            Path notOurs = Files.write(dir.resolve("kafka-train-r1-z.tar"), new byte[1]);

            assertThat(spool.deleteOrphans()).isEqualTo(1000);

            assertThat(orphan).doesNotExist();
            assertThat(mine).exists();
            assertThat(otherReplica).exists();
            assertThat(notOurs).exists();
        } finally {
            running.destroy();
        }
    }

    @Test
    void aSpoolFileIsItsOwnersOnlyWhateverTheUmask(@TempDir Path dir) throws Exception {
        // Files.newOutputStream took the umask's 0644: the run's weights readable by every user of the host
        Path file = new CheckpointSpool(dir).newFile("r");
        try (var out = CheckpointSpool.create(file)) {
            out.write(1);
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThatThrownBy(() -> CheckpointSpool.create(file))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    @Test
    void ownerIsThePidAfterThePrefix() {
        assertThat(CheckpointSpool.owner(Path.of("/tmp/kafka-train-spool-4242-run-a-b.tar")))
                .isEqualTo(OptionalLong.of(4242));
        assertThat(CheckpointSpool.owner(Path.of("kafka-train-spool-x-run.tar")))
                .isEmpty();
        assertThat(CheckpointSpool.owner(Path.of("kafka-train-run-1.tar"))).isEmpty();
        assertThat(new CheckpointSpool(Path.of("/spool"))
                        .newFile("run-7")
                        .getFileName()
                        .toString())
                .startsWith(CheckpointSpool.PREFIX + ProcessHandle.current().pid() + "-run-7-");
    }
}
