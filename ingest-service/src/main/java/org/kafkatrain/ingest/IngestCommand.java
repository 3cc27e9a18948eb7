package org.kafkatrain.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.DatasetRecords;
import org.kafkatrain.contracts.Topics;
import org.kafkatrain.ingest.config.IngestConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** One-shot ingestion of a dataset folder. Exit code 0: all images published; 2: some were skipped; 1: failed. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description =
                "Publish a labeled image dataset (ImageFolder tree, IDX files, CIFAR-10 batches) onto the image topics.")
public class IngestCommand implements Callable<Integer> {
    static final int SOME_SKIPPED = 2;

    @Parameters(index = "0", description = "dataset folder")
    Path path;

    @Option(
            names = "--format",
            defaultValue = "auto",
            description = "auto, imagefolder, idx or cifar (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--dataset", description = "dataset id, the manifest's key (default: the folder's name)")
    String dataset;

    @Option(names = "--train-topic", defaultValue = Topics.IMAGES_TRAIN)
    String trainTopic;

    @Option(names = "--val-topic", defaultValue = Topics.IMAGES_VAL)
    String valTopic;

    @Option(names = "--datasets-topic", defaultValue = Topics.DATASETS)
    String datasetsTopic;

    @Option(
            names = "--val-fraction",
            defaultValue = "0.1",
            description = "share of each class sent to val when the source has no split")
    double valFraction;

    @Option(names = "--limit", defaultValue = "0", description = "at most N train images per class (0: all)")
    int limit;

    @Option(
            names = "--val-limit",
            defaultValue = "-1",
            description = "at most N val images per class (default: --limit / 5, 0: all)")
    int valLimit;

    @Option(
            names = "--size",
            defaultValue = "0",
            description = "training resolution: resize the shorter side, then center-crop (0: keep)")
    int size;

    @Option(names = "--channels", defaultValue = "0", description = "1 (grayscale) or 3 (RGB); 0 keeps the source's")
    int channels;

    @Option(
            names = "--encoding",
            defaultValue = "RAW_U8_HWC",
            description = "RAW_U8_HWC, PNG or JPEG (default: ${DEFAULT-VALUE})")
    String encoding;

    @Option(
            names = "--record-bytes",
            defaultValue = "1048576",
            description = "largest record value in bytes (default: ${DEFAULT-VALUE})")
    int recordBytes;

    @Option(names = "--max-images-per-record", defaultValue = "1024")
    int maxImagesPerRecord;

    @Option(names = "--partitions", defaultValue = "1", description = "partitions of topics this command creates")
    int partitions;

    @Option(
            names = "--bootstrap-servers",
            description = "Kafka to write to (default: kafka.bootstrap.servers, 127.0.0.1:9092)")
    String bootstrapServers;

    @Option(
            names = "--if-absent",
            description = "do nothing when the dataset's manifest is already on the datasets topic (without it, an"
                    + " existing dataset id is refused: an id names one immutable version)")
    boolean ifAbsent;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(
            names = "--progress",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "progress bar on stderr (--no-progress: none)")
    boolean progress;

    @Option(
            names = "--summary-json",
            description = "also write the summary as JSON to this file (for scripts and benchmarks)")
    Path summaryJson;

    @Inject
    IngestConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    DatasetIngestion ingestion;

    @Inject
    ImageProducer producer;

    @Inject
    DatasetManifests manifests;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (channels != 0 && channels != 1 && channels != 3) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--channels must be 1 or 3");
        }
        if (trainTopic.equals(valTopic)) {
            // the dataset's records pin each split by offsets; one topic would still mix them for a run by topic
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--train-topic and --val-topic must differ: " + trainTopic);
        }
        String id = dataset != null
                ? dataset
                : path.toAbsolutePath().normalize().getFileName().toString();
        int valCap = valLimit >= 0 ? valLimit : limit > 0 ? Math.max(1, limit / 5) : 0;
        IngestOptions options = new IngestOptions(
                path,
                format,
                id,
                trainTopic,
                valTopic,
                datasetsTopic,
                valFraction,
                limit,
                valCap,
                size,
                channels,
                encoding.toUpperCase(),
                recordBytes,
                maxImagesPerRecord,
                config.limits().maxImageSide(),
                partitions,
                seed,
                progress);
        try {
            if (bootstrapServers != null) {
                producer.useBootstrapServers(bootstrapServers);
            }
            producer.connect();
            var existing = manifests.find(datasetsTopic, id);
            if (existing.isPresent()) {
                // A dataset id names one immutable version: runs and checkpoints refer to it by id.
                if (ifAbsent) {
                    System.out.printf(
                            "dataset %s is already published (%s): nothing to do%n",
                            id, existing.get().counts());
                    return 0;
                }
                System.err.printf(
                        "ingest: dataset %s is already published (%s, on %s): a dataset id names one immutable"
                                + " version; ingest under another --dataset, or add --if-absent to keep it%n",
                        id, existing.get().counts(), topicsOf(existing.get()));
                return 1;
            }
            IngestReport report = ingestion.ingest(options);
            report.print(System.out);
            if (summaryJson != null) {
                json.writerWithDefaultPrettyPrinter().writeValue(summaryJson.toFile(), report);
            }
            return report.skipped().isEmpty() ? 0 : SOME_SKIPPED;
        } catch (Exception e) {
            System.err.println("ingest: " + e.getMessage());
            return 1;
        }
    }

    private static String topicsOf(DatasetManifest manifest) {
        return manifest.records().isEmpty()
                ? "topics not recorded (a v1 manifest)"
                : manifest.records().values().stream()
                        .map(DatasetRecords::topic)
                        .distinct()
                        .collect(java.util.stream.Collectors.joining(", "));
    }
}
