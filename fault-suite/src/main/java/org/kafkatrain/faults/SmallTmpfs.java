package org.kafkatrain.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A 1 GiB tmpfs for the trainer's temp dir, where checkpoints spool (a ResNet-50 checkpoint with Adam's moments is
 * about 300 MB), so that the disk-full fault can fill it without touching the machine's disks. Mounting needs root
 * (CI runs as root); elsewhere the scenarios that need it are skipped and say why.
 */
final class SmallTmpfs {
    private static String whyNot = "";

    private SmallTmpfs() {}

    /** Mounts the tmpfs at {@code dir}; returns it, or null when it cannot be mounted here. */
    static Path mount(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        unmount(dir); // a previous suite's, killed before it could clean up
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1g", "tmpfs", dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            whyNot = "needs a tmpfs (mount as root): " + out;
            System.out.println("[faults] " + whyNot);
            return null;
        }
        return dir;
    }

    static void unmount(Path dir) throws IOException, InterruptedException {
        if (dir != null) {
            new ProcessBuilder("umount", "-q", dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        }
    }

    static String whyNot() {
        return whyNot;
    }
}
