package org.kafkatrain.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A fault injected into a drill. Each one waits for its moment (a step of an epoch), does what a crash, an outage
 * or an operator would, notes it in the drill, and returns once it has given back what it took.
 */
@FunctionalInterface
interface Fault {
    /** Longer than the trainer's default S3 retries (6 attempts, pauses from 1 s doubling: about 31 s). */
    int S3_OUTAGE_SECONDS = 45;

    int BROKER_OUTAGE_SECONDS = 15;

    void inject(Drill d) throws Exception;

    /** Ingest as a user would, broker up. */
    static Fault ingest() {
        return Drill::ingest;
    }

    /** The broker stopped when ingest starts, restarted 15 s later: ingest must wait for it and lose nothing. */
    static Fault ingestWithBrokerStopped() {
        return d -> {
            d.processes.stop(Component.KAFKA);
            d.note("broker stopped (SIGTERM) during ingestion, " + BROKER_OUTAGE_SECONDS + " s");
            CompletableFuture<Void> ingest = CompletableFuture.runAsync(() -> {
                try {
                    d.ingest();
                } catch (Exception e) {
                    throw new IllegalStateException("ingest failed: " + e.getMessage(), e);
                }
            });
            Thread.sleep(BROKER_OUTAGE_SECONDS * 1000L);
            d.processes.stackStart();
            ingest.join();
        };
    }

    /** The barrage of {@link BadRecords} appended to the train topic after ingest. */
    static Fault badRecords() {
        return d -> {
            d.badRecords.addAll(BadRecords.publish(d.processes.bootstrapServers(), d.trainTopic));
            long bad = d.badRecords.stream().filter(s -> s.expected() != null).count();
            d.note(bad + " bad records (incl. a 5 MB value) and " + (d.badRecords.size() - bad)
                    + " valid single images from a plain producer");
        };
    }

    static Fault killTrainer(int epoch) {
        return d -> {
            d.awaitStep(d.stepIn(epoch, 0.6));
            d.processes.kill9(Component.TRAINER);
            d.note("kill -9 trainer in epoch " + epoch + ", restart, resume");
            d.processes.up();
            d.startRun();
        };
    }

    static Fault killMetrics(int epoch) {
        return d -> {
            d.awaitStep(d.stepIn(epoch, 0.4));
            d.processes.kill9(Component.METRICS);
            d.note("kill -9 metrics-stream in epoch " + epoch + ", restart after 5 s");
            Thread.sleep(5000);
            d.processes.up();
        };
    }

    static Fault stopBroker(int epoch) {
        return outage(Component.KAFKA, epoch, 0.3, BROKER_OUTAGE_SECONDS, "broker stopped in epoch " + epoch);
    }

    static Fault pauseBroker(int epoch) {
        return d -> {
            d.awaitStep(d.stepIn(epoch, 0.3));
            d.processes.signal(Component.KAFKA, "STOP");
            d.note("broker paused (SIGSTOP) in epoch " + epoch + ", " + BROKER_OUTAGE_SECONDS + " s");
            Thread.sleep(BROKER_OUTAGE_SECONDS * 1000L);
            d.processes.signal(Component.KAFKA, "CONT");
        };
    }

    /** S3 stopped just before the epoch-end checkpoint, for longer than the upload's retries. */
    static Fault stopS3(int epoch) {
        return outage(Component.S3, epoch, 0.85, S3_OUTAGE_SECONDS, "S3 stopped at epoch " + epoch + "'s end");
    }

    /** A server of the stack stopped (SIGTERM) {@code fraction} into {@code epoch}, started again after a while. */
    private static Fault outage(Component server, int epoch, double fraction, int seconds, String what) {
        return d -> {
            d.awaitStep(d.stepIn(epoch, fraction));
            d.processes.stop(server);
            d.note(what + ", " + seconds + " s");
            Thread.sleep(seconds * 1000L);
            d.processes.stackStart();
        };
    }

    /**
     * The trainer's temp dir (a small tmpfs) kept full for 20 s from just before the epoch-end checkpoint: whatever
     * space the trainer frees (a spool file deleted after its upload) is taken again at once.
     */
    static Fault fillDisk(int epoch) {
        return d -> {
            Path dir = d.processes
                    .trainerTmp()
                    .orElseThrow(() -> new IllegalStateException("no tmpfs under the trainer's temp dir"));
            d.awaitStep(d.stepIn(epoch, 0.85));
            Path filler = dir.resolve("filler");
            long until = System.nanoTime() + 20_000_000_000L;
            long written = 0;
            while (System.nanoTime() < until) {
                written += topUp(filler);
                Thread.sleep(50);
            }
            d.note("trainer's temp dir kept full for 20 s (" + (written >> 20) + " MB written to a filler on a "
                    + "tmpfs) at epoch " + epoch + "'s end");
            Files.delete(filler);
        };
    }

    /** Appends to the filler until the file system refuses; returns the bytes written. */
    private static long topUp(Path filler) throws IOException {
        byte[] chunk = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(
                filler, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        return written;
    }
}
