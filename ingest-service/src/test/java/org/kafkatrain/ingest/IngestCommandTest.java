package org.kafkatrain.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.EventJson;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.contracts.OffsetRange;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.testing.FashionMnist;
import org.kafkatrain.testing.LocalStack;
import org.kafkatrain.testing.LocalStackResource;
import org.kafkatrain.testing.TopicContents;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

/** `ingest <path>` against the local stack's broker, checked by reading the topics back with a plain consumer. */
@QuarkusMainTest
@QuarkusTestResource(LocalStackResource.class)
class IngestCommandTest {

    @Test
    void fashionMnistSubsetLandsWithLabelsAndPixelsOfTheSource(QuarkusMainLauncher launcher) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String train = "ingest-it." + id + ".train";
        String val = "ingest-it." + id + ".val";
        LaunchResult result = launcher.launch(
                "ingest",
                FashionMnist.DIR.toString(),
                "--dataset",
                "fmnist-" + id,
                "--train-topic",
                train,
                "--val-topic",
                val,
                "--limit",
                "50",
                "--val-limit",
                "10",
                "--no-progress");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("skipped: none");

        String bootstrap = LocalStack.ensureRunning().kafkaBootstrapServers();
        FashionMnist source = FashionMnist.load("train");
        FashionMnist test = FashionMnist.load("t10k");
        List<Sample> trainSamples = TopicReader.samples(bootstrap, train);
        List<Sample> valSamples = TopicReader.samples(bootstrap, val);
        assertThat(trainSamples).hasSize(500);
        assertThat(valSamples).hasSize(100);
        for (Sample s : trainSamples) {
            int index = Integer.parseInt(s.id().substring(s.id().lastIndexOf('/') + 1));
            assertThat(s.label()).isEqualTo(source.label(index));
            assertThat(s.pixels()).isEqualTo(source.pixels(index));
        }
        for (Sample s : valSamples) {
            int index = Integer.parseInt(s.id().substring(s.id().lastIndexOf('/') + 1));
            assertThat(s.pixels()).isEqualTo(test.pixels(index));
        }
        assertThat(trainSamples.stream()
                        .collect(Collectors.groupingBy(Sample::label, Collectors.counting()))
                        .values())
                .containsOnly(50L);

        DatasetManifest manifest = manifest(bootstrap, "fmnist-" + id);
        assertThat(manifest.classes()).hasSize(10).startsWith("T-shirt/top", "Trouser");
        assertThat(manifest.height()).isEqualTo(28);
        assertThat(manifest.channels()).isEqualTo(1);
        assertThat(manifest.counts().get("train").values()).containsOnly(50L);
        // The manifest pins the records it wrote: the topics are fresh, so one range from 0 each.
        assertThat(manifest.recordsOf("train").orElseThrow().topic()).isEqualTo(train);
        assertThat(manifest.recordsOf("train").orElseThrow().recordCount())
                .isEqualTo(TopicContents.readAll(bootstrap, train).size());
        assertThat(manifest.recordsOf("val").orElseThrow().ranges())
                .containsExactly(new OffsetRange(
                        0, 0, TopicContents.readAll(bootstrap, val).size()));

        // A dataset id names one version: publishing under it again is refused, and changes nothing.
        LaunchResult again = launcher.launch(
                "ingest",
                FashionMnist.DIR.toString(),
                "--dataset",
                "fmnist-" + id,
                "--train-topic",
                train,
                "--val-topic",
                val,
                "--limit",
                "5",
                "--no-progress");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.getErrorOutput()).contains("already published", "immutable", train);
        assertThat(TopicReader.samples(bootstrap, train)).hasSize(500);
        assertThat(launcher.launch(
                                "ingest",
                                FashionMnist.DIR.toString(),
                                "--dataset",
                                "fmnist-" + id,
                                "--train-topic",
                                train,
                                "--val-topic",
                                val,
                                "--if-absent",
                                "--no-progress")
                        .exitCode())
                .isZero();
    }

    @Test
    void imageFolderWithBadFilesReportsEachSkipAndPublishesTheRest(QuarkusMainLauncher launcher, @TempDir Path root)
            throws Exception {
        Random random = new Random(3);
        int good = 0;
        for (String cls : List.of("dog", "cat", "bird")) {
            Path dir = Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < 4; i++) {
                int h = 20 + random.nextInt(30);
                int w = 20 + random.nextInt(30);
                int c = i % 2 == 0 ? 3 : 1;
                byte[] pixels = new byte[h * w * c];
                random.nextBytes(pixels);
                String format = i < 2 ? "png" : "jpeg";
                Files.write(
                        dir.resolve(cls + i + (format.equals("png") ? ".png" : ".jpg")),
                        ImageFiles.encode(pixels, h, w, c, format));
                good++;
            }
        }
        Files.write(
                root.resolve("cat").resolve("corrupt.png"),
                new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3});
        Files.write(root.resolve("dog").resolve("empty.jpg"), new byte[0]);
        Files.writeString(root.resolve("bird").resolve("notes.txt"), "not an image");
        String id = UUID.randomUUID().toString().substring(0, 8);
        String train = "ingest-it." + id + ".train";
        String val = "ingest-it." + id + ".val";

        LaunchResult result = launcher.launch(
                "ingest",
                root.toString(),
                "--dataset",
                "folder-" + id,
                "--train-topic",
                train,
                "--val-topic",
                val,
                "--size",
                "32",
                "--channels",
                "3",
                "--val-fraction",
                "0.25",
                "--no-progress");

        assertThat(result.exitCode()).as("some files were skipped").isEqualTo(IngestCommand.SOME_SKIPPED);
        assertThat(result.getOutput())
                .contains("skipped: 3")
                .contains("cat/corrupt.png: CORRUPT_IMAGE")
                .contains("dog/empty.jpg: empty file")
                .contains("bird/notes.txt: not an image file");
        String bootstrap = LocalStack.ensureRunning().kafkaBootstrapServers();
        List<Sample> samples = new java.util.ArrayList<>(TopicReader.samples(bootstrap, train));
        samples.addAll(TopicReader.samples(bootstrap, val));
        assertThat(samples).hasSize(good);
        assertThat(samples).allSatisfy(s -> {
            assertThat(new int[] {s.height(), s.width(), s.channels()}).containsExactly(32, 32, 3);
            String cls = s.id().split("/")[1];
            assertThat(s.label())
                    .isEqualTo(List.of("bird", "cat", "dog").indexOf(cls)); // ImageFolder: sorted class names
        });
        assertThat(TopicReader.samples(bootstrap, val)).hasSize(3); // a quarter of each class of 4
        assertThat(manifest(bootstrap, "folder-" + id).classes()).containsExactly("bird", "cat", "dog");
    }

    @Test
    void missingFolderFailsWithAClearMessage(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("ingest", "/nonexistent/images", "--no-progress");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains("/nonexistent/images is not a directory");
    }

    @Test
    void unreachableBrokerGivesAClearErrorWithinSecondsNotAHang(QuarkusMainLauncher launcher) {
        long start = System.nanoTime();
        LaunchResult result = launcher.launch(
                "ingest",
                FashionMnist.DIR.toString(),
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--limit",
                "1",
                "--no-progress");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains("Kafka at 127.0.0.1:1 did not answer within 10 s");
        assertThat(seconds).as("fails within the connect timeout").isLessThan(30);
    }

    static DatasetManifest manifest(String bootstrap, String dataset) throws Exception {
        DatasetManifest found = null;
        for (ConsumerRecord<String, byte[]> r : TopicReader.records(bootstrap, Topics.DATASETS)) {
            if (dataset.equals(r.key())) {
                found = EventJson.readManifest(r.value());
            }
        }
        assertThat(found).as("manifest of " + dataset).isNotNull();
        return found;
    }
}
