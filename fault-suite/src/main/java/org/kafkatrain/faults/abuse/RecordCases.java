package org.kafkatrain.faults.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.StatObjectArgs;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.Sha256;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.faults.abuse.AbusePipeline.Service;
import org.kafkatrain.faults.abuse.Case.Answer;
import org.kafkatrain.faults.abuse.Case.Step;
import org.kafkatrain.faults.abuse.Http.Reply;
import org.kafkatrain.faults.abuse.TopicWatch.DeadLetter;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bad records on the topics the services read: images a run trains on ({@code images.train}'s role, on a topic of
 * the suite's own), images to predict ({@code images.infer}), step events ({@code training.steps}) and checkpoint
 * announcements ({@code training.checkpoints}). Each must come back as a dead letter with its reason, or, for a
 * checkpoint announcement, be refused with a reason in the log while the served model stays as it was.
 */
final class RecordCases {
    private static final Duration DEAD_LETTER_PATIENCE = Duration.ofSeconds(60);
    private static final String PNG = ImageRecordCodec.PNG;
    private static final String BATCH = ImageRecordCodec.BATCH_CONTENT_TYPE;
    /** A record as large as the broker takes (message.max.bytes 2 MiB), less room for its headers. */
    private static final int LARGEST_RECORD = 2_000_000;

    private RecordCases() {}

    // ---- images a run trains on ----

    /**
     * Valid images and the chosen bad records on a topic of their own, then a one-epoch run over the topic: every
     * bad record must be dead-lettered with its problem, and the run must finish, trained on the valid ones.
     */
    static List<Step> train() {
        List<Case> cases = new ArrayList<>();
        add(
                cases,
                "train-garbage",
                "3000 random bytes as image/png",
                false,
                a -> png(HostileFiles.random(3000, 3), "1"));
        add(
                cases,
                "train-truncated",
                "half a PNG",
                false,
                a -> png(Arrays.copyOf(a.goodPng, a.goodPng.length / 2), "1"));
        add(cases, "train-label-text", "a PNG labelled 'abc'", false, a -> png(a.goodPng, "abc"));
        add(cases, "train-label-99", "a PNG labelled 99 of 10 classes", true, a -> png(a.goodPng, "99"));
        add(cases, "train-label-negative", "a PNG labelled -1", false, a -> png(a.goodPng, "-1"));
        add(cases, "train-no-label", "a PNG without a label", false, a -> png(a.goodPng, null));
        add(
                cases,
                "train-text-plain",
                "a record of type text/plain",
                false,
                a -> new RecordSpec(
                        "a shirt".getBytes(StandardCharsets.UTF_8),
                        Topics.HEADER_CONTENT_TYPE,
                        "text/plain",
                        Topics.HEADER_LABEL,
                        "6"));
        add(
                cases,
                "train-no-type",
                "a PNG without a content type",
                false,
                a -> new RecordSpec(a.goodPng, Topics.HEADER_LABEL, "6"));
        add(cases, "train-empty", "an empty value", false, a -> png(new byte[0], "1"));
        add(cases, "train-tombstone", "a null value (tombstone)", false, a -> new RecordSpec(null));
        add(
                cases,
                "train-bmp-as-png",
                "a BMP declared image/png",
                false,
                a -> png(HostileFiles.bmp(a.images.pixels(2), 28), "1"));
        add(
                cases,
                "train-other-shape",
                "a 32x32 RGB PNG for a 28x28x1 dataset",
                false,
                a -> png(HostileFiles.rgbPng(32), "1"));
        add(
                cases,
                "train-envelope-version",
                "an envelope of version 9",
                false,
                a -> new RecordSpec(
                        ImageRecordCodec.encodeBatch(
                                a.dataset, List.of(), org.kafkatrain.contracts.proto.PixelEncoding.PNG),
                        Topics.HEADER_CONTENT_TYPE,
                        ImageRecordCodec.BATCH_MEDIA_TYPE + "; v=9"));
        add(
                cases,
                "train-envelope-garbage",
                "3000 random bytes as an envelope",
                false,
                a -> new RecordSpec(HostileFiles.random(3000, 4), Topics.HEADER_CONTENT_TYPE, BATCH));
        add(
                cases,
                "train-envelope-crowded",
                "an envelope of 5000 one-pixel images",
                false,
                a -> new RecordSpec(HostileFiles.crowdedEnvelope(a.dataset, 5000), Topics.HEADER_CONTENT_TYPE, BATCH));
        add(
                cases,
                "train-envelope-short",
                "an envelope image stated 1024x1024 holding 10 bytes",
                false,
                a -> new RecordSpec(
                        HostileFiles.rawEnvelope(a.dataset, 1024, 1024, new byte[10]),
                        Topics.HEADER_CONTENT_TYPE,
                        BATCH));
        add(
                cases,
                "train-envelope-huge-side",
                "an envelope image stated 100000x100000",
                false,
                a -> new RecordSpec(
                        HostileFiles.rawEnvelope(a.dataset, 100_000, 100_000, new byte[10]),
                        Topics.HEADER_CONTENT_TYPE,
                        BATCH));
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(cases, (a, chosen) -> trainOn(a, "records", chosen)));
        List<Case> bomb = new ArrayList<>();
        add(
                bomb,
                "train-pixel-bomb",
                "a 2 MB envelope of ~1,800 all-zero 1024x1024 PNGs (~1.8 GB of pixels)",
                false,
                a -> new RecordSpec(
                        HostileFiles.pixelBomb(a.dataset, LARGEST_RECORD), Topics.HEADER_CONTENT_TYPE, BATCH));
        steps.add(new Step(bomb, (a, chosen) -> trainOn(a, "bomb", chosen)));
        return steps;
    }

    /** A record's value and headers (name, value, ...), made once the suite's dataset exists. */
    private record RecordSpec(byte[] value, String... headers) {}

    @FunctionalInterface
    private interface Maker {
        RecordSpec make(Abuse a) throws Exception;
    }

    /** How each train-topic case's record is made, by case id. */
    private static final Map<String, Maker> MAKERS = new java.util.concurrent.ConcurrentHashMap<>();

    private static void add(List<Case> cases, String id, String input, boolean ci, Maker maker) {
        cases.add(new Case(id, input, "images.train (a run's train topic)", Service.TRAINER, ci));
        MAKERS.put(id, maker);
    }

    private static RecordSpec png(byte[] bytes, String label) {
        return new RecordSpec(bytes, Topics.HEADER_CONTENT_TYPE, PNG, Topics.HEADER_LABEL, label);
    }

    private static List<Answer> trainOn(Abuse a, String name, List<Case> chosen) throws Exception {
        String topic = "abuse-" + a.stamp + "." + name;
        String run = "abuse-" + a.stamp + "-" + name;
        // valid images first, then the bad ones: the run must train the former and dead-letter the latter
        for (int i = 1; i <= 2 * Abuse.BATCH; i++) {
            a.send(
                    topic,
                    "good-" + i,
                    HostileFiles.png(a.images.pixels(i), 28),
                    Topics.HEADER_CONTENT_TYPE,
                    PNG,
                    Topics.HEADER_LABEL,
                    Integer.toString(a.images.label(i)));
        }
        List<RecordMetadata> sent = new ArrayList<>();
        for (Case c : chosen) {
            RecordSpec spec = MAKERS.get(c.id()).make(a);
            sent.add(a.send(topic, c.id(), spec.value(), spec.headers()));
        }
        long t0 = System.nanoTime();
        ObjectNode request = a.runRequest(run);
        request.put("trainTopic", topic);
        request.put("wholeTopics", true);
        Reply started = a.http.postJson(a.trainer("/runs"), request.toString());
        List<Answer> answers = new ArrayList<>();
        if (started.status() != 201) {
            for (Case c : chosen) {
                answers.add(Answer.failed(
                        "-", Duration.ZERO, "the run over the records was refused: " + started.summary(120)));
            }
            return answers;
        }
        JsonNode end = a.awaitRunEnd(run, Duration.ofMinutes(10));
        String ended = RestCases.describe(end);
        List<String> runFailure = new ArrayList<>();
        if ("FINISHED".equals(end.path("state").asText())) {
            a.trainedRuns.add(run);
        } else {
            runFailure.add("the run over these records ended " + cut(ended, 160));
        }
        for (int i = 0; i < chosen.size(); i++) {
            RecordMetadata at = sent.get(i);
            Optional<DeadLetter> d = a.watch.awaitDeadLetter(
                    at.topic(), at.partition(), at.offset(), i == 0 ? DEAD_LETTER_PATIENCE : Duration.ofSeconds(5));
            Duration time = Duration.ofNanos(System.nanoTime() - t0);
            if (d.isPresent()) {
                List<String> failures = new ArrayList<>(runFailure);
                d.get().notARefusal().ifPresent(failures::add);
                answers.add(
                        Answer.of("dead letter: " + cut(d.get().describe(), Abuse.ANSWER_CHARS - 13), time, failures));
            } else {
                List<String> failures = new ArrayList<>(runFailure);
                failures.add("no dead letter in " + Topics.IMAGES_TRAIN_DLQ);
                answers.add(Answer.of("run " + cut(ended, 90), time, failures));
            }
        }
        return answers;
    }

    // ---- images to predict ----

    static List<Step> infer() {
        List<Step> s = new ArrayList<>();
        s.add(infer(
                "infer-no-run",
                "a PNG with no run header",
                false,
                a -> new RecordSpec(a.goodPng, Topics.HEADER_CONTENT_TYPE, PNG)));
        s.add(infer(
                "infer-run-path",
                "a PNG for run ../../etc",
                false,
                a -> new RecordSpec(a.goodPng, Topics.HEADER_CONTENT_TYPE, PNG, "run", "../../etc")));
        s.add(infer(
                "infer-unknown-run",
                "a PNG for a run that does not exist",
                false,
                a -> new RecordSpec(a.goodPng, Topics.HEADER_CONTENT_TYPE, PNG, "run", "abuse-no-such-run")));
        s.add(infer(
                "infer-garbage",
                "3000 random bytes as image/png",
                false,
                a -> new RecordSpec(HostileFiles.random(3000, 6), Topics.HEADER_CONTENT_TYPE, PNG, "run", a.model)));
        s.add(infer(
                "infer-label-99",
                "a PNG labelled 99 of 10 classes",
                false,
                a -> new RecordSpec(
                        a.goodPng, Topics.HEADER_CONTENT_TYPE, PNG, "run", a.model, Topics.HEADER_LABEL, "99")));
        s.add(infer(
                "infer-crowded",
                "an envelope of 5000 one-pixel images",
                false,
                a -> new RecordSpec(
                        HostileFiles.crowdedEnvelope(a.dataset, 5000),
                        Topics.HEADER_CONTENT_TYPE,
                        BATCH,
                        "run",
                        a.model)));
        s.add(infer(
                "infer-pixel-bomb",
                "a 2 MB envelope of ~1,800 all-zero 1024x1024 PNGs (~1.8 GB of pixels)",
                true,
                a -> new RecordSpec(
                        HostileFiles.pixelBomb(a.dataset, LARGEST_RECORD),
                        Topics.HEADER_CONTENT_TYPE,
                        BATCH,
                        "run",
                        a.model)));
        return s;
    }

    /**
     * One bad record on images.infer: it must be dead-lettered with a reason, not predicted; and a good record sent
     * after it must be predicted.
     */
    private static Step infer(String id, String input, boolean ci, Maker maker) {
        Case c = new Case(id, input, "images.infer", Service.INFERENCE, ci);
        return Step.of(c, a -> {
            RecordSpec spec = maker.make(a);
            String key = id + "-" + a.stamp;
            long t0 = System.nanoTime();
            RecordMetadata at = a.send(Topics.IMAGES_INFER, key, spec.value(), spec.headers());
            Optional<DeadLetter> d =
                    a.watch.awaitDeadLetter(at.topic(), at.partition(), at.offset(), DEAD_LETTER_PATIENCE);
            Duration time = Duration.ofNanos(System.nanoTime() - t0);
            List<String> failures = new ArrayList<>();
            String text;
            if (d.isPresent()) {
                text = "dead letter: " + cut(d.get().describe(), Abuse.ANSWER_CHARS - 13);
                d.get().notARefusal().ifPresent(failures::add);
            } else {
                Optional<String> predicted = a.watch.awaitPrediction(key, Duration.ZERO);
                text = predicted.map(p -> "predicted: " + cut(p, 90)).orElse("nothing");
                failures.add(
                        predicted.isPresent()
                                ? "predicted instead of dead-lettered"
                                : "no dead letter in " + Topics.IMAGES_INFER_DLQ + " within "
                                        + DEAD_LETTER_PATIENCE.toSeconds() + " s");
            }
            String good = "good-after-" + key;
            a.send(Topics.IMAGES_INFER, good, a.goodPng, Topics.HEADER_CONTENT_TYPE, PNG, "run", a.model);
            if (a.watch.awaitPrediction(good, DEAD_LETTER_PATIENCE).isEmpty()) {
                failures.add(
                        "a good record after it was not predicted within " + DEAD_LETTER_PATIENCE.toSeconds() + " s");
            }
            return Answer.of(text, time, failures);
        });
    }

    // ---- step events ----

    static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        s.add(step(
                "steps-garbage",
                "a step event that is not JSON",
                false,
                (a, run) -> "{{{ not json".getBytes(StandardCharsets.UTF_8)));
        s.add(step(
                "steps-script-run-id",
                "a step event of run <img src=x onerror=alert(1)>",
                true,
                (a, run) -> EventJson.write(event("<img src=x onerror=alert(1)>", 16, 0))));
        s.add(step(
                "steps-long-run-id",
                "a step event whose run id is 10,000 characters",
                false,
                (a, run) -> EventJson.write(event("r".repeat(10_000), 16, 0))));
        s.add(step("steps-version", "a step event of version 99", false, (a, run) -> {
            ObjectNode e = (ObjectNode) Abuse.JSON.readTree(EventJson.write(event(run, 16, 0)));
            e.put("v", 99);
            return Abuse.JSON.writeValueAsBytes(e);
        }));
        s.add(step(
                "steps-negative",
                "a step event of -5 samples in epoch -1",
                false,
                (a, run) -> EventJson.write(event(run, -5, -1))));
        return s;
    }

    @FunctionalInterface
    private interface EventMaker {
        byte[] make(Abuse a, String run) throws Exception;
    }

    private static TrainingStep event(String run, int samples, int epoch) {
        return new TrainingStep(
                TrainingStep.VERSION,
                TrainingStep.STEP,
                run,
                TrainingStep.TRAIN,
                epoch,
                1,
                0,
                samples,
                2.3,
                1,
                5,
                0.001,
                50.0,
                0,
                System.currentTimeMillis(),
                "0123456789abcdef");
    }

    /**
     * One bad event on training.steps: it must be dead-lettered (training.steps.dlq) with a reason, and a good
     * event of a new run sent after it must show in metrics-stream's query API.
     */
    private static Step step(String id, String input, boolean ci, EventMaker maker) {
        Case c = new Case(id, input, "training.steps", Service.METRICS, ci);
        return Step.of(c, a -> {
            String run = "abuse-" + a.stamp + "-" + id;
            long t0 = System.nanoTime();
            RecordMetadata at = a.send(Topics.TRAINING_STEPS, run, maker.make(a, run));
            Optional<DeadLetter> d =
                    a.watch.awaitDeadLetter(at.topic(), at.partition(), at.offset(), DEAD_LETTER_PATIENCE);
            Duration time = Duration.ofNanos(System.nanoTime() - t0);
            List<String> failures = new ArrayList<>();
            String text = d.map(x -> "dead letter: " + cut(x.describe(), Abuse.ANSWER_CHARS - 13))
                    .orElse("nothing");
            if (d.isEmpty()) {
                failures.add("no dead letter in " + TopicWatch.METRICS_DLQ + " within "
                        + DEAD_LETTER_PATIENCE.toSeconds() + " s");
            } else {
                d.get().notARefusal().ifPresent(failures::add);
            }
            // a step shows in its run's series at once (windows wait for their close, in event time)
            String good = run + "-good";
            a.send(Topics.TRAINING_STEPS, good, EventJson.write(event(good, 16, 0)));
            if (!await(() ->
                    a.http.get(a.metrics("/runs/" + good + "/series")).body().contains("\"points\":[{"))) {
                failures.add("a good step event after it did not show in GET /runs/{id}/series within 60 s");
            }
            return Answer.of(text, time, failures);
        });
    }

    // ---- checkpoint announcements ----

    static List<Step> checkpoints() {
        List<Step> s = new ArrayList<>();
        s.add(announce(
                "ckpt-other-run", "an announcement for the served run naming another run's checkpoint", true, a -> {
                    String other = a.trainedRuns.isEmpty() ? a.model : a.trainedRuns.get(0);
                    String object = latestObject(a, other);
                    return checkpointEvent(a, object, sha256Of(a, object));
                }));
        s.add(announce("ckpt-no-hash", "an announcement of a copy of the served checkpoint with no hash", false, a -> {
            String copy = "runs/" + a.model + "/epoch-0100.tar";
            a.s3.copyObject(CopyObjectArgs.builder()
                    .bucket("checkpoints")
                    .object(copy)
                    .source(CopySource.builder()
                            .bucket("checkpoints")
                            .object(latestObject(a, a.model))
                            .build())
                    .build());
            return checkpointEvent(a, copy, null);
        }));
        s.add(announce("ckpt-path", "an announcement naming runs/<served>/../<other>/...", false, a -> {
            String other = a.trainedRuns.isEmpty() ? a.model : a.trainedRuns.get(0);
            String object = latestObject(a, other);
            return checkpointEvent(
                    a, "runs/" + a.model + "/../" + object.substring("runs/".length()), sha256Of(a, object));
        }));
        s.add(announce(
                "ckpt-garbage",
                "an announcement that is not JSON",
                false,
                a -> "{\"v\":1,\"runId\":".getBytes(StandardCharsets.UTF_8)));
        s.add(announce(
                "ckpt-corrupt-object",
                "an announcement of a stored checkpoint whose 1 MB tensor has a 16-byte storage (hash recorded)",
                false,
                a -> {
                    byte[] file = HostileFiles.shortStorage();
                    String object = "runs/" + a.model + "/epoch-9999.tar";
                    String hex = sha256(file);
                    a.putObject(object, file, Map.of("sha256", hex, "epoch", "9999", "step", "999999"));
                    return checkpointEvent(a, object, hex);
                }));
        return s;
    }

    @FunctionalInterface
    private interface Announcement {
        byte[] make(Abuse a) throws Exception;
    }

    /**
     * One forged announcement on training.checkpoints for the run inference serves: the served checkpoint must stay
     * as it was, and inference's log must say why it refused.
     */
    private static Step announce(String id, String input, boolean ci, Announcement maker) {
        Case c = new Case(id, input, "training.checkpoints", Service.INFERENCE, ci);
        return Step.of(c, a -> {
            String before = a.servedCheckpoint();
            Path log = a.pipeline.log(Service.INFERENCE);
            long mark = Files.size(log);
            byte[] event = maker.make(a);
            long t0 = System.nanoTime();
            RecordMetadata at = a.send(Topics.TRAINING_CHECKPOINTS, a.model, event);
            String needle = at.topic() + "-" + at.partition() + "@" + at.offset();
            String object = objectOf(event);
            String said = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (said == null && System.nanoTime() < deadline) {
                Thread.sleep(250);
                said = logLine(log, mark, needle, object);
            }
            Duration time = Duration.ofNanos(System.nanoTime() - t0);
            Thread.sleep(2000); // a swap, were one under way, would have happened by now
            String after = a.servedCheckpoint();
            List<String> failures = new ArrayList<>();
            if (!after.equals(before)) {
                failures.add("the served model moved from " + before + " to " + after);
            }
            if (said == null) {
                failures.add("inference-service logged nothing about it");
            }
            String text = said == null ? "served " + after : "log: " + cut(said, Abuse.ANSWER_CHARS - 5);
            return Answer.of(text, time, failures);
        });
    }

    /** A checkpoint announcement for the served run naming {@code object}, far ahead of its latest step. */
    private static byte[] checkpointEvent(Abuse a, String object, String sha256) {
        ObjectNode e = Abuse.JSON.createObjectNode();
        e.put("v", 1);
        e.put("runId", a.model);
        e.put("bucket", "checkpoints");
        e.put("object", object);
        e.put("epoch", 99);
        e.put("epochComplete", true);
        e.put("step", 999_999);
        e.put("loss", 0.01);
        e.put("acc1", 99.9);
        e.put("acc5", 100.0);
        e.put("best", object);
        e.putArray("classes");
        e.put("height", 28);
        e.put("width", 28);
        e.put("channels", 1);
        if (sha256 != null) {
            e.put("sha256", sha256);
        } else {
            e.putNull("sha256");
        }
        e.put("bytes", 1);
        e.put("writtenAt", System.currentTimeMillis());
        return e.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String objectOf(byte[] event) {
        try {
            return Abuse.JSON.readTree(event).path("object").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String latestObject(Abuse a, String run) throws Exception {
        try (var in = a.s3.getObject(io.minio.GetObjectArgs.builder()
                .bucket("checkpoints")
                .object("runs/" + run + "/latest.json")
                .build())) {
            return Abuse.JSON.readTree(in).path("object").asText();
        }
    }

    private static String sha256Of(Abuse a, String object) throws Exception {
        return a.s3.statObject(StatObjectArgs.builder()
                        .bucket("checkpoints")
                        .object(object)
                        .build())
                .userMetadata()
                .get("sha256");
    }

    static String sha256(byte[] bytes) {
        var digest = Sha256.digest();
        digest.update(bytes);
        return Sha256.hex(digest);
    }

    /** The first line inference-service logged since {@code mark} that names the event or its object. */
    private static String logLine(Path log, long mark, String needle, String object) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            if (file.length() <= mark) {
                return null;
            }
            file.seek(mark);
            byte[] bytes = new byte[(int) Math.min(file.length() - mark, 1 << 20)];
            file.readFully(bytes);
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (line.contains(needle) || (object != null && line.contains(object))) {
                    int at = line.indexOf("] (");
                    String message = line.substring(line.indexOf(')', Math.max(0, at)) + 1)
                            .strip();
                    return message.isEmpty() ? line.strip() : message;
                }
            }
            return null;
        }
    }

    // ---- shared ----

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }

    private static boolean await(Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    static String cut(String text, int max) {
        String one = text.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }
}
