package org.kafkatrain.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import org.kafkatrain.contracts.runs.CheckpointObject;
import org.kafkatrain.contracts.runs.RunField;
import org.kafkatrain.contracts.runs.RunRequest;
import org.kafkatrain.contracts.runs.RunState;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.stack.Stack;
import org.kafkatrain.stack.StackCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./kafka-train demo}, the README's main job: the stack and the services up, a Fashion-MNIST subset ingested
 * (once), a run trained, then what the system made of it (per-epoch metrics from training.metrics, the checkpoints,
 * where the dashboard is, a prediction by the served model).
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        abbreviateSynopsis = true,
        description = {
            "The main job on the embedded local stack, on CPU: starts Kafka, S3, trainer-, metrics- and inference-service; ingests a",
            "class-balanced Fashion-MNIST subset (DEMO_PER_CLASS train images per class, default 300) onto demo.images.train /",
            "demo.images.val; trains ResNet-50 for DEMO_EPOCHS epochs (default 2) with Adam and StepLR; prints the per-epoch",
            "metrics from training.metrics and the checkpoints in s3://checkpoints; serves the model on inference-service and",
            "predicts a test image with it. Needs Debian's dataset-fashion-mnist."
        })
final class DemoCommand implements Callable<Integer> {
    /** Fashion-MNIST's class 7. */
    private static final int SNEAKER = 7;

    @Option(
            names = "--per-class",
            defaultValue = "${env:DEMO_PER_CLASS:-300}",
            description = "Fashion-MNIST training images per class (default: ${DEFAULT-VALUE}; val: a fifth of it)")
    int perClass;

    @Option(names = "--epochs", defaultValue = "${env:DEMO_EPOCHS:-2}", description = "default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(
            names = "--dataset-dir",
            defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "the Fashion-MNIST IDX files (Debian: apt-get install dataset-fashion-mnist)")
    Path datasetDir;

    @Mixin
    Services services;

    @Override
    public Integer call() throws Exception {
        if (!services.local("--trainer-url")
                || !services.local("--metrics-url")
                || !services.local("--inference-url")) {
            throw new LauncherException(
                    "demo runs on the local stack, which it starts; point train, runs or serve" + " at other services");
        }
        if (!Files.isDirectory(datasetDir)) {
            throw new LauncherException(
                    "demo needs Fashion-MNIST in " + datasetDir + ": apt-get install dataset-fashion-mnist");
        }
        String dataset = "fashion-mnist-demo-" + perClass;
        String trainTopic = "demo.images.train." + perClass;
        String valTopic = "demo.images.val." + perClass;
        Stack stack = StackCommand.fromEnvironment();
        stack.up();
        int ingested = IngestCommand.run(
                stack,
                List.of(
                        datasetDir.toString(),
                        "--dataset",
                        dataset,
                        "--train-topic",
                        trainTopic,
                        "--val-topic",
                        valTopic,
                        "--limit",
                        Integer.toString(perClass),
                        "--val-limit",
                        Integer.toString(perClass / 5),
                        "--if-absent"));
        if (ingested != 0) {
            throw new LauncherException("ingesting " + datasetDir + " failed (exit " + ingested + ")");
        }
        stack.inference();
        String kafka = stack.settings().bootstrapServers();
        Path sampleImage = stack.settings().home().resolve("demo/sneaker.png");
        ServiceClient trainer = services.trainer();
        String runId = "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        RunRequest config = RunRequest.forRun(runId)
                .with(RunField.DATASET, dataset)
                .with(RunField.TRAIN_TOPIC, trainTopic)
                .with(RunField.VAL_TOPIC, valTopic)
                .with(RunField.EPOCHS, epochs);
        TrainCommand.start(trainer, config, false);
        RunStatus end = new RunFollower(trainer, System.err, System.console() != null).follow(runId);
        int code = RunFollower.report(end, System.err);
        if (end.state() != RunState.FINISHED) {
            return code == 0 ? 1 : code;
        }
        System.err.println("kafka-train: per-epoch metrics from training.metrics (metrics-stream " + services.metricsUrl
                + "/runs/" + runId + "/epochs):");
        System.out.print(epochTable(services.metrics(), runId));
        System.err.println("kafka-train: checkpoints in s3://checkpoints/runs/" + runId + "/:");
        System.out.print(Tables.checkpoints(
                trainer.get("/runs/" + runId + "/checkpoints", new TypeReference<List<CheckpointObject>>() {})
                        .orElse(List.of())));
        System.err.println("kafka-train: dashboard " + services.metricsUrl + "/?run=" + runId
                + "   metrics topic: kcat -b " + kafka + " -C -t training.metrics");
        Path image = DemoImage.write(datasetDir, SNEAKER, sampleImage);
        ServeCommand.show(services.inference(), services.inferenceUrl, runId, image, System.err, System.out);
        System.err.println("kafka-train: or through Kafka: kcat -b " + kafka + " -P -t images.infer -H run=" + runId
                + " -H content-type=image/png -k mine " + (image == null ? "image.png" : image)
                + "   then: kcat -b " + kafka + " -C -t predictions");
        return 0;
    }

    /** The epoch table once every epoch's val summary has reached it (the stream needs a moment after the run). */
    private String epochTable(ServiceClient metrics, String runId) throws InterruptedException {
        String table = "";
        for (int attempt = 0; attempt < 60; attempt++) {
            table = metrics.getText("/runs/" + runId + "/epochs/table");
            if (table.lines().filter(l -> l.contains(" val ")).count() >= epochs) {
                break;
            }
            Thread.sleep(1000);
        }
        return table;
    }
}
