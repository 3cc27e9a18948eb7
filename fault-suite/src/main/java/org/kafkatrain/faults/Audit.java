package org.kafkatrain.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.kafkatrain.contracts.ConsumedRecords;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.ImageRecordCodec;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.RecordLimits;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.SampleDigest;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.contracts.TrainingMetrics;
import org.kafkatrain.contracts.TrainingStep;
import org.kafkatrain.engine.TorchCheckpointFile;
import org.kafkatrain.testing.FashionMnist;
import org.kafkatrain.testing.TopicContents;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a drill did, read back from where users would look: the train topic (what ingest and the bad producer wrote),
 * {@code training.steps} (what was trained), {@code training.metrics} (the epoch summaries), the dead-letter topic
 * and the bucket. Nothing here asks the trainer.
 */
final class Audit {
    static final String STEPS = "training.steps";
    static final String METRICS = "training.metrics";
    static final String DEAD_LETTERS = "images.train.dlq";

    /** One row of the suite's table; {@code failures} empty means the drill passed. */
    record Result(
            String scenario,
            List<String> faults,
            long expectedPerEpoch,
            List<Long> trainedPerEpoch,
            long extra,
            long missing,
            boolean idsMatch,
            long deadLettered,
            long deadLetterDuplicates,
            String latest,
            List<String> failures,
            double seconds) {
        boolean passed() {
            return failures.isEmpty();
        }
    }

    private final LocalProcesses processes;
    private final MinioClient s3;

    Audit(LocalProcesses processes, MinioClient s3) {
        this.processes = processes;
        this.s3 = s3;
    }

    Result audit(String scenario, Drill drill, List<String> watcherViolations, double seconds) throws Exception {
        List<String> failures = new ArrayList<>(watcherViolations);
        String bootstrap = processes.bootstrapServers();

        // What the topic holds: ingest's images (none lost, none twice) and the valid extra records.
        ImageRecordCodec codec = new ImageRecordCodec(RecordLimits.DEFAULT.withNumClasses(FashionMnist.CLASSES));
        Map<String, Integer> ingested = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicContents.readAll(bootstrap, drill.trainTopic)) {
            String type = ConsumedRecords.header(r, Topics.HEADER_CONTENT_TYPE);
            if (type != null && type.startsWith(ImageRecordCodec.BATCH_MEDIA_TYPE)) {
                for (Sample s : codec.decode(type, null, null, ConsumedRecords.id(r), r.value())
                        .samples()) {
                    ingested.merge(s.id(), 1, Integer::sum);
                }
            }
        }
        long ingestedRecords =
                ingested.values().stream().mapToLong(Integer::longValue).sum();
        if (ingested.size() != drill.trainSamples() || ingestedRecords != drill.trainSamples()) {
            failures.add("ingest: " + ingestedRecords + " images (" + ingested.size() + " distinct ids) on the topic, "
                    + drill.trainSamples() + " in the source");
        }
        Set<String> expectedIds = new HashSet<>(ingested.keySet());
        for (BadRecords.Sent s : drill.badRecords) {
            if (s.expected() == null) {
                expectedIds.add(drill.trainTopic + "-" + s.partition() + "@" + s.offset());
            }
        }
        long expectedDigest = expectedIds.stream().mapToLong(SampleDigest::of).sum();

        // What was trained: the last emission of each step (a resumed run re-trains, and re-announces, the steps
        // after its checkpoint; the ones before the crash were discarded with the process's weights).
        Map<Integer, Map<Long, TrainingStep>> steps = new TreeMap<>();
        Map<Integer, Long> epochEnds = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicContents.readAll(bootstrap, STEPS)) {
            if (!drill.runId.equals(r.key())) {
                continue;
            }
            TrainingStep e = EventJson.readStep(r.value());
            if (!TrainingStep.TRAIN.equals(e.split())) {
                continue;
            }
            if (e.isEpochEnd()) {
                epochEnds.put(e.epoch(), (long) e.samples());
            } else {
                steps.computeIfAbsent(e.epoch(), k -> new TreeMap<>()).put(e.step(), e);
            }
        }
        List<Long> trained = new ArrayList<>();
        long extra = 0;
        long missing = 0;
        boolean idsMatch = true;
        for (int epoch = 0; epoch < drill.epochs; epoch++) {
            Map<Long, TrainingStep> epochSteps = steps.getOrDefault(epoch, Map.of());
            long count = epochSteps.values().stream()
                    .mapToLong(TrainingStep::samples)
                    .sum();
            long digest = epochSteps.values().stream()
                    .mapToLong(e -> SampleDigest.parse(e.sampleDigest()))
                    .sum();
            trained.add(count);
            extra += Math.max(0, count - expectedIds.size());
            missing += Math.max(0, expectedIds.size() - count);
            if (digest != expectedDigest) {
                idsMatch = false;
                failures.add("epoch " + epoch + ": the trained sample ids are not the topic's (digest "
                        + SampleDigest.hex(digest) + ", expected " + SampleDigest.hex(expectedDigest) + ")");
            }
            if (count != expectedIds.size()) {
                failures.add(
                        "epoch " + epoch + ": trained " + count + " samples, the topic holds " + expectedIds.size());
            }
            Long announced = epochEnds.get(epoch);
            if (announced == null || announced != expectedIds.size()) {
                failures.add("epoch " + epoch + ": epoch_end announced " + announced + " samples");
            }
        }

        failures.addAll(epochSummaries(drill));

        // Every bad record dead-lettered for its problem, once.
        Map<String, List<String>> dead = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicContents.readAll(bootstrap, DEAD_LETTERS)) {
            if (drill.trainTopic.equals(ConsumedRecords.header(r, Topics.HEADER_ORIGIN_TOPIC))) {
                dead.computeIfAbsent(
                                ConsumedRecords.header(r, Topics.HEADER_ORIGIN_PARTITION) + "@"
                                        + ConsumedRecords.header(r, Topics.HEADER_ORIGIN_OFFSET),
                                k -> new ArrayList<>())
                        .add(ConsumedRecords.header(r, Topics.HEADER_DEAD_LETTER_PROBLEM));
            }
        }
        long expectedDead = 0;
        for (BadRecords.Sent s : drill.badRecords) {
            List<String> problems = dead.getOrDefault(s.partition() + "@" + s.offset(), List.of());
            if (s.expected() == null) {
                if (!problems.isEmpty()) {
                    failures.add("valid record " + s.what() + " was dead-lettered: " + problems);
                }
                continue;
            }
            expectedDead++;
            if (problems.isEmpty()) {
                failures.add("bad record '" + s.what() + "' is not in the DLQ");
            } else if (!problems.get(0).equals(s.expected().name())) {
                failures.add("bad record '" + s.what() + "' dead-lettered as " + problems.get(0) + ", expected "
                        + s.expected());
            }
        }
        long deadLettered = dead.size();
        long duplicates = dead.values().stream().mapToLong(l -> l.size() - 1).sum();
        if (deadLettered != expectedDead) {
            failures.add(deadLettered + " records dead-lettered, " + expectedDead + " bad ones were written");
        }

        String latest = latestLoads(drill, failures);
        spoolEmpty(failures);
        return new Result(
                scenario,
                List.copyOf(drill.injected),
                expectedIds.size(),
                trained,
                extra,
                missing,
                idsMatch,
                deadLettered,
                duplicates,
                latest,
                failures,
                seconds);
    }

    /**
     * The trainer's spool dir holds no checkpoint file once the run has finished: its own are deleted after their
     * upload, and a killed trainer's (300 MB each) by the next trainer's checkpoint, else the spool dir fills up over
     * a few kills. Checked where the suite gave the trainer a spool dir of its own.
     */
    private void spoolEmpty(List<String> failures) throws IOException {
        if (processes.trainerTmp().isEmpty()) {
            return;
        }
        try (Stream<Path> files = Files.list(processes.trainerTmp().get())) {
            List<String> left = files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".tar"))
                    .toList();
            if (!left.isEmpty()) {
                failures.add("checkpoint files left in the trainer's spool dir: " + left);
            }
        }
    }

    /** Each split's epoch summary on training.metrics exactly once; metrics-stream may still be catching up. */
    private List<String> epochSummaries(Drill drill) throws InterruptedException, InvalidRecordException {
        List<String> problems = List.of();
        for (int attempt = 0; attempt < 60; attempt++) {
            Map<String, Integer> seen = new TreeMap<>();
            for (ConsumerRecord<String, byte[]> r : TopicContents.readAll(processes.bootstrapServers(), METRICS)) {
                if (drill.runId.equals(r.key())) {
                    TrainingMetrics m = EventJson.readMetrics(r.value());
                    if (TrainingMetrics.EPOCH.equals(m.kind())) {
                        seen.merge(m.split() + " " + m.epoch(), 1, Integer::sum);
                    }
                }
            }
            List<String> now = new ArrayList<>();
            for (int epoch = 0; epoch < drill.epochs; epoch++) {
                for (String split : List.of(TrainingStep.TRAIN, TrainingStep.VAL)) {
                    int n = seen.getOrDefault(split + " " + epoch, 0);
                    if (n != 1) {
                        now.add("training.metrics: " + n + " summaries of " + split + " epoch " + epoch);
                    }
                }
            }
            problems = now;
            if (problems.isEmpty()) {
                break;
            }
            Thread.sleep(1000);
        }
        return problems;
    }

    /** The checkpoint latest.json names, loaded as torch.load would read it; "epoch N" or what is wrong. */
    private String latestLoads(Drill drill, List<String> failures) {
        String prefix = "runs/" + drill.runId + "/";
        try {
            JsonNode latest;
            try (InputStream in = s3.getObject(GetObjectArgs.builder()
                    .bucket(LatestWatcher.BUCKET)
                    .object(prefix + "latest.json")
                    .build())) {
                latest = EventJson.MAPPER.readTree(in);
            }
            String object = latest.get("object").asText();
            Map<String, Object> checkpoint;
            try (InputStream in = s3.getObject(GetObjectArgs.builder()
                    .bucket(LatestWatcher.BUCKET)
                    .object(object)
                    .build())) {
                checkpoint = TorchCheckpointFile.read(in);
            }
            int epoch = ((Number) checkpoint.get("epoch")).intValue();
            if (epoch != drill.epochs - 1 || !latest.get("epochComplete").asBoolean()) {
                failures.add("latest.json names " + object + ", not the last epoch's checkpoint");
            }
            if (!(checkpoint.get("model") instanceof Map<?, ?> model) || model.isEmpty()) {
                failures.add(object + " has no model state");
            }
            return "epoch " + epoch + " loads";
        } catch (Exception e) {
            failures.add("latest checkpoint: " + e.getClass().getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return "broken";
        }
    }
}
