package org.kafkatrain.trainer.store;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The local files checkpoints are spooled to before their upload, each named after the process that writes it. A
 * trainer killed mid-spool (kill -9, the OOM killer, a lost node with a kept volume) leaves a file of about 300 MB
 * behind, and nothing else would ever delete it: the fault suite's third kill filled its 1 GiB spool dir, and the
 * next checkpoint waited for space that never came. So before spooling, the files of processes that are gone are
 * deleted; those of live processes (other replicas sharing the directory) are left alone.
 */
public final class CheckpointSpool {
    private static final Logger LOG = Logger.getLogger(CheckpointSpool.class);
    static final String PREFIX = "kafka-train-spool-";

    private final Path dir;

    public CheckpointSpool(Path dir) {
        this.dir = dir;
    }

    /** The JVM's temp dir ({@code java.io.tmpdir}), where the trainer spools. */
    public static CheckpointSpool inTempDir() {
        return new CheckpointSpool(Path.of(System.getProperty("java.io.tmpdir")));
    }

    public Path dir() {
        return dir;
    }

    /** A new file name for a checkpoint of {@code runId}, owned by this process. */
    public Path newFile(String runId) {
        return dir.resolve(PREFIX + ProcessHandle.current().pid() + "-" + runId + "-" + UUID.randomUUID() + ".tar");
    }

    /**
     * Opens a new spool file that only this user can read, whatever the umask: it holds the run's trained weights,
     * which other users of the host need not see.
     */
    public static OutputStream create(Path file) throws IOException {
        return Channels.newOutputStream(Files.newByteChannel(
                file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
    }

    /**
     * Deletes the spool files whose process has ended; returns the bytes freed. A failure is logged, not thrown: the
     * checkpoint at hand may still fit.
     */
    public long deleteOrphans() {
        long freed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*.tar")) {
            for (Path file : files) {
                OptionalLong pid = owner(file);
                if (pid.isPresent() && !alive(pid.getAsLong())) {
                    long bytes = Files.size(file);
                    Files.deleteIfExists(file);
                    freed += bytes;
                    LOG.infof(
                            "deleted %s (%d MB), left by process %d, which has ended",
                            file, bytes >> 20, pid.getAsLong());
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot delete ended processes' checkpoint files in %s: %s", dir, e);
        }
        return freed;
    }

    /** The pid in a spool file's name, if it has one. */
    static OptionalLong owner(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX)) {
            return OptionalLong.empty();
        }
        int end = name.indexOf('-', PREFIX.length());
        try {
            return OptionalLong.of(Long.parseLong(name.substring(PREFIX.length(), end < 0 ? name.length() : end)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
