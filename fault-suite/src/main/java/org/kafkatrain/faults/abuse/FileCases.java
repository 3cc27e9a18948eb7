package org.kafkatrain.faults.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kafkatrain.faults.abuse.AbusePipeline.Service;
import org.kafkatrain.faults.abuse.Case.Answer;
import org.kafkatrain.faults.abuse.Case.Step;
import org.kafkatrain.faults.abuse.Http.Reply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hostile files where the services read files: weights a run starts from ({@code initWeights}, from the bucket or
 * trainer.init-weights-dir), checkpoints in the bucket that a fork or inference loads, and IDX and CIFAR-10 files
 * for ingest. A file the trainer reads at a run's start must end the run FAILED with the reason (or be refused at
 * {@code POST /runs}); one inference would serve must be refused with the reason; one ingest reads must end the
 * command with the reason, within its heap.
 */
final class FileCases {
    private FileCases() {}

    // ---- initWeights ----

    static List<Step> weights() {
        List<Step> s = new ArrayList<>();
        s.add(bucketWeights("weights-garbage", "1 MB of random bytes", false, a -> HostileFiles.random(1 << 20, 12)));
        s.add(bucketWeights(
                "weights-short-storage",
                "a 512x512 float tensor whose storage holds 16 bytes",
                false,
                a -> HostileFiles.shortStorage()));
        s.add(bucketWeights(
                "weights-stride-zero",
                "one stored float viewed with stride 0 as 2^20 x 2^20 (4 TiB)",
                false,
                a -> HostileFiles.strideZeroView()));
        s.add(bucketWeights(
                "weights-pickle-length",
                "a pickle string stating 2^31-1 bytes, holding 3",
                false,
                a -> HostileFiles.pickleLength()));
        s.add(bucketWeights(
                "weights-deflate-bomb",
                "a 2 MB archive whose pickle inflates to 2 GiB (its header says 100 bytes)",
                true,
                a -> bomb(a, "bomb-2g", 2L << 30)));
        s.add(bucketWeights(
                "weights-deflate-heap",
                "a pickle inflating to 700 MB: within the 1 GiB entry limit, above the 512 MB heap",
                false,
                a -> bomb(a, "bomb-700m", 700L << 20)));
        s.add(fileWeights(
                "weights-file-short-storage",
                "file: under trainer.init-weights-dir, a tensor with a 16-byte storage",
                false,
                a -> {
                    Path file = a.pipeline.weightsDir().resolve("short-" + a.stamp + ".pt");
                    Files.write(file, HostileFiles.shortStorage());
                    return file.toString();
                }));
        s.add(fileWeights("weights-file-fifo", "file: a FIFO under trainer.init-weights-dir", false, a -> {
            Path fifo = a.pipeline.weightsDir().resolve("fifo-" + a.stamp);
            Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
            if (p.waitFor() != 0) {
                throw new IOException("mkfifo " + fifo + " failed");
            }
            return fifo.toString();
        }));
        s.add(fileWeights(
                "weights-file-dev-zero", "file: a link to /dev/zero under trainer.init-weights-dir", false, a -> {
                    Path link = a.pipeline.weightsDir().resolve("zero-" + a.stamp);
                    Files.createSymbolicLink(link, Path.of("/dev/zero"));
                    return link.toString();
                }));
        s.add(fileWeights(
                "weights-file-escape",
                "file: <init-weights-dir>/../../../../etc/passwd",
                false,
                a -> a.pipeline
                        .weightsDir()
                        .resolve("../../../../../../../etc/passwd")
                        .toString()));
        return s;
    }

    @FunctionalInterface
    private interface Bytes {
        byte[] make(Abuse a) throws Exception;
    }

    @FunctionalInterface
    private interface FilePath {
        String make(Abuse a) throws Exception;
    }

    private static byte[] bomb(Abuse a, String name, long inflated) throws IOException {
        Path file = a.dir("weights").resolve(name + ".pt");
        HostileFiles.deflateBomb(file, inflated);
        byte[] bytes = Files.readAllBytes(file);
        Files.delete(file);
        return bytes;
    }

    /** The file as an object in the bucket, named as a run's initWeights. */
    private static Step bucketWeights(String id, String input, boolean ci, Bytes file) {
        Case c = new Case(id, input + " (bucket)", "trainer initWeights", Service.TRAINER, ci);
        return Step.of(c, a -> {
            String key = "weights/" + a.stamp + "/" + id + ".pt";
            a.putObject(key, file.make(a), Map.of());
            return startFrom(
                    a, "abuse-" + a.stamp + "-" + id, request -> request.put("initWeights", key), "initWeights");
        });
    }

    /** The file under trainer.init-weights-dir, named as {@code file:<path>}. */
    private static Step fileWeights(String id, String input, boolean ci, FilePath file) {
        Case c = new Case(id, input, "trainer initWeights", Service.TRAINER, ci);
        return Step.of(c, a -> {
            String path = file.make(a);
            return startFrom(
                    a, "abuse-" + a.stamp + "-" + id, r -> r.put("initWeights", "file:" + path), "initWeights");
        });
    }

    @FunctionalInterface
    private interface Change {
        void apply(ObjectNode request);
    }

    /**
     * Starts a run with the request changed; it must be refused (4xx) or end FAILED with a reason naming
     * {@code mention}, and never train.
     */
    private static Answer startFrom(Abuse a, String run, Change change, String mention) throws Exception {
        ObjectNode request = a.runRequest(run);
        change.apply(request);
        long t0 = System.nanoTime();
        Reply r = a.http.postJson(a.trainer("/runs"), request.toString());
        if (r.status() != 201) {
            return Abuse.refused(r, null);
        }
        JsonNode end = a.awaitRunEnd(run, Duration.ofMinutes(5));
        Duration time = Duration.ofNanos(System.nanoTime() - t0);
        String text = RecordCases.cut(RestCases.describe(end), Abuse.ANSWER_CHARS);
        List<String> failures = new ArrayList<>();
        if (!"FAILED".equals(end.path("state").asText())) {
            failures.add("the run ended " + end.path("state").asText() + ": the file was taken");
        } else if (!end.path("message")
                .asText("")
                .toLowerCase(Locale.ROOT)
                .contains(mention.toLowerCase(Locale.ROOT))) {
            failures.add("the run's reason does not name " + mention);
        }
        if (end.path("message").asText("").contains("OutOfMemoryError")) {
            failures.add("the trainer ran out of heap reading it instead of refusing it");
        }
        return Answer.of(text, time, failures);
    }

    // ---- checkpoints in the bucket ----

    static List<Step> checkpoints() {
        List<Step> s = new ArrayList<>();
        s.add(Step.of(
                new Case(
                        "fork-corrupt-checkpoint",
                        "a fork of the served run from its epoch-0999.tar, a tensor with a 16-byte storage",
                        "trainer fromRun/fromCheckpoint",
                        Service.TRAINER,
                        false),
                a -> {
                    byte[] file = HostileFiles.shortStorage();
                    a.putObject(
                            "runs/" + a.model + "/epoch-0999.tar",
                            file,
                            Map.of("sha256", RecordCases.sha256(file), "epoch", "999", "step", "9990"));
                    return startFrom(
                            a,
                            "abuse-" + a.stamp + "-fork",
                            r -> {
                                r.put("fromRun", a.model);
                                r.put("fromCheckpoint", "epoch-0999.tar");
                            },
                            "epoch-0999.tar");
                }));
        s.add(serve(
                "serve-corrupt-checkpoint",
                "a run whose latest checkpoint has a 1 MB tensor with a 16-byte storage (hash recorded)",
                true,
                a -> HostileFiles.shortStorage()));
        s.add(serve(
                "serve-deflate-bomb",
                "a run whose latest checkpoint inflates to 2 GiB (hash recorded)",
                false,
                a -> bomb(a, "serve-bomb", 2L << 30)));
        return s;
    }

    /**
     * A run in the bucket whose latest.json names a hostile checkpoint (its hash recorded beside it, as the trainer
     * records it): a prediction for the run makes inference load it, and must be refused with the reason.
     */
    private static Step serve(String id, String input, boolean ci, Bytes file) {
        Case c = new Case(id, input, "inference, checkpoint in the bucket", Service.INFERENCE, ci);
        return Step.of(c, a -> {
            String run = "abuse-" + a.stamp + "-" + id;
            String object = "runs/" + run + "/epoch-0000.tar";
            byte[] bytes = file.make(a);
            String hex = RecordCases.sha256(bytes);
            a.putObject(object, bytes, Map.of("sha256", hex, "epoch", "0", "step", "1"));
            String runJson;
            try (var in = a.s3.getObject(io.minio.GetObjectArgs.builder()
                    .bucket("checkpoints")
                    .object("runs/" + a.model + "/run.json")
                    .build())) {
                runJson = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .replace("\"" + a.model + "\"", "\"" + run + "\"");
            }
            a.putObject("runs/" + run + "/run.json", runJson.getBytes(StandardCharsets.UTF_8), Map.of());
            ObjectNode latest = Abuse.JSON.createObjectNode();
            latest.put("v", 1);
            latest.put("runId", run);
            latest.put("object", object);
            latest.put("epoch", 0);
            latest.put("epochComplete", true);
            latest.put("step", 1);
            latest.put("loss", 1.0);
            latest.putNull("acc1");
            latest.putNull("acc5");
            latest.put("best", object);
            latest.putNull("bestAcc1");
            latest.put("writtenAt", System.currentTimeMillis());
            latest.put("sha256", hex);
            a.putObject("runs/" + run + "/latest.json", latest.toString().getBytes(StandardCharsets.UTF_8), Map.of());
            Reply r = a.http.post(a.inference("/predict/" + run), "image/png", a.goodPng);
            // the request is good; the stored object is not: a 4xx, or 503 saying the model cannot be loaded
            List<String> failures = new ArrayList<>();
            if (r.status() == 200) {
                failures.add("served a prediction from it");
            } else if (r.status() == Http.NO_ANSWER) {
                failures.add(r.body());
            } else if (r.status() >= 500 && r.status() != 503) {
                failures.add("a " + r.status() + ": the service failed instead of refusing the object");
            } else if (!r.body().contains("\"error\"")) {
                failures.add("the answer gives no reason");
            } else if (r.body().contains("heap space") || r.body().contains("OutOfMemoryError")) {
                failures.add("ran out of heap (-Xmx" + a.pipeline.heap(Service.INFERENCE) + ") loading it instead of"
                        + " refusing it");
            }
            return Answer.of(r.summary(Abuse.ANSWER_CHARS), r.time(), failures);
        });
    }

    // ---- IDX and CIFAR-10 files for ingest ----

    static List<Step> datasets() {
        List<Step> s = new ArrayList<>();
        s.add(ingestFiles(
                "idx-label-count",
                "IDX labels stating 2^31-1 labels in a 9-byte file",
                true,
                dir -> HostileFiles.idx(dir, Integer.MAX_VALUE, 1, 0x803, Integer.MAX_VALUE, 28, 28, 784)));
        s.add(ingestFiles(
                "idx-count-mismatch",
                "IDX of 10 labels and 20 images",
                false,
                dir -> HostileFiles.idx(dir, 10, 10, 0x803, 20, 28, 28, 20 * 784)));
        s.add(ingestFiles(
                "idx-huge-side",
                "IDX images stating 100000x100000 pixels",
                false,
                dir -> HostileFiles.idx(dir, 2, 2, 0x803, 2, 100_000, 100_000, 1000)));
        s.add(ingestFiles(
                "idx-bad-magic",
                "an IDX image file with magic 0x0",
                false,
                dir -> HostileFiles.idx(dir, 2, 2, 0, 2, 28, 28, 2 * 784)));
        s.add(ingestFiles(
                "idx-truncated",
                "IDX stating 10 images of 28x28, holding 3",
                false,
                dir -> HostileFiles.idx(dir, 10, 10, 0x803, 10, 28, 28, 3 * 784)));
        s.add(ingestFiles(
                "idx-gzip-large",
                "gzipped IDX of 1500 honest 1024x1024 images (1.5 GB read from 1.5 MB)",
                false,
                dir -> HostileFiles.idxGzip(dir, 1500, 1024)));
        s.add(ingestFiles(
                "cifar-length",
                "a CIFAR batch of 5000 bytes (not a multiple of 3073)",
                false,
                dir -> HostileFiles.cifar(dir, new byte[5000])));
        s.add(ingestFiles(
                "cifar-label-200",
                "CIFAR records labelled 200 of 10 classes",
                false,
                dir -> HostileFiles.cifar(dir, HostileFiles.cifarRecords(4, 200))));
        s.add(ingestFiles(
                "cifar-sparse",
                "a 1.5 GiB (sparse) CIFAR batch",
                false,
                dir -> HostileFiles.sparseCifar(dir, 1536L << 20)));
        return s;
    }

    @FunctionalInterface
    private interface Writer {
        void write(Path dir) throws IOException;
    }

    /**
     * {@code ingest <dir>} of hostile files, as {@code ./kafka-train ingest} runs it: the command must end (exit 1,
     * or 2 with the records it skipped) with the reason in one line, within its heap and 3 minutes; never accept the
     * files, never run out of memory.
     */
    private static Step ingestFiles(String id, String input, boolean ci, Writer writer) {
        Case c = new Case(id, input, "ingest CLI (files)", null, ci);
        return Step.of(c, a -> {
            Path dir = a.dir(id);
            writer.write(dir);
            ProcessBuilder pb = a.pipeline.ingestCommand(List.of(
                    dir.toString(),
                    "--dataset",
                    "abuse-" + a.stamp + "-" + id,
                    "--train-topic",
                    "abuse-" + a.stamp + ".files-train",
                    "--val-topic",
                    "abuse-" + a.stamp + ".files-val",
                    "--no-progress"));
            Path log = a.dir("logs").resolve(id + ".log");
            long t0 = System.nanoTime();
            Process p = pb.redirectOutput(log.toFile()).start();
            long peak = 0;
            while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
                try {
                    peak = Math.max(peak, Memory.peakRss(p.pid()));
                } catch (IOException e) {
                    // ended between the wait and the read
                }
                if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(3)) {
                    p.destroyForcibly();
                    p.waitFor();
                    break;
                }
            }
            Duration time = Duration.ofNanos(System.nanoTime() - t0);
            String output = Files.readString(log);
            deleteTree(dir);
            String reason = output.replace(dir.toString(), "<dir>")
                    .lines()
                    .filter(l -> l.startsWith("ingest:") || l.contains("Error") || l.contains("skipped"))
                    .findFirst()
                    .orElse(output.lines().reduce((x, y) -> y).orElse(""));
            int exit = p.exitValue();
            List<String> failures = new ArrayList<>();
            if (exit == 0) {
                failures.add("exit 0: the files were ingested");
            } else if (exit >= 128) {
                failures.add("killed (exit " + exit + ")");
            } else if (output.contains("OutOfMemoryError")) {
                failures.add("ran out of heap (-Xmx" + a.pipeline.heap(Service.INGEST) + ") instead of refusing");
            } else if (exit == 1 && !reason.startsWith("ingest:")) {
                failures.add("exit 1 with no reason line");
            } else if (reason.endsWith(": null")) {
                failures.add("the reason is 'null'");
            }
            String text = "exit " + exit + ": " + RecordCases.cut(reason, Abuse.ANSWER_CHARS - 30) + " (peak RSS "
                    + peak / HostileFiles.MIB + " MB)";
            return Answer.of(text, time, failures);
        });
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
