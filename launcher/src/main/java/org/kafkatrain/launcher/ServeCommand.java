package org.kafkatrain.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import org.kafkatrain.contracts.TopClass;
import org.kafkatrain.stack.StackCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The launcher's half of {@code ./kafka-train serve}, once the script has started inference-service: has it load a
 * run's model, says which checkpoint it serves, predicts an image when given one, and prints the curl that does
 * the same.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serves trained checkpoints: starts inference-service (127.0.0.1:INFERENCE_PORT, 8083) when it is not running,",
            "loads RUN's latest checkpoint and follows its newer ones. REST: POST /predict/RUN with a PNG or JPEG body;",
            "POST /v2/models/RUN/infer (Open Inference Protocol). Kafka: records on images.infer with a 'run' header give",
            "prediction events on predictions."
        })
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--run", description = "the run whose model to load now (others load on their first request)")
    String run;

    @Option(names = "--image", description = "a PNG or JPEG to predict once the model is loaded")
    Path image;

    @Mixin
    Services services;

    @Override
    public Integer call() throws IOException {
        if (services.local("--inference-url")) {
            StackCommand.fromEnvironment().inference();
        }
        ServiceClient inference = services.inference();
        if (run == null) {
            System.err.println("kafka-train: inference-service at " + services.inferenceUrl
                    + "; POST /predict/<run> with a PNG or JPEG, or ./kafka-train serve --run <run>");
            return 0;
        }
        show(inference, services.inferenceUrl, run, image, System.err, System.out);
        return 0;
    }

    /** Loads the run's model, prints what it serves, the prediction for {@code image} (when given) and the curl. */
    static void show(ServiceClient inference, String url, String run, Path image, PrintStream log, PrintStream out)
            throws IOException {
        // a GET never loads a model (it would let anyone fill the service's memory): the token-guarded load does
        JsonNode model = inference
                .postIfFound("/v2/repository/models/" + run + "/load", new TypeReference<JsonNode>() {})
                .orElseThrow(() -> new LauncherException("run " + run + " has no checkpoint to serve"));
        JsonNode p = model.get("parameters");
        log.printf(
                Locale.ROOT,
                "kafka-train: inference-service serves %s (epoch %d, step %d%s)%n",
                model.get("versions").get(0).asText(),
                p.get("epoch").asInt(),
                p.get("step").asLong(),
                p.hasNonNull("acc1")
                        ? String.format(
                                Locale.ROOT, ", val top-1 %.2f%%", p.get("acc1").asDouble())
                        : "");
        if (image != null) {
            String type = image.toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";
            List<TopClass> top = inference.post(
                    "/predict/" + run, type, Files.readAllBytes(image), 200, new TypeReference<List<TopClass>>() {});
            log.println("kafka-train: " + image + " is, by the model:");
            out.print(Tables.render(
                    List.of("class", "index", "probability"),
                    top.stream()
                            .map(c -> List.of(
                                    c.name(),
                                    Integer.toString(c.index()),
                                    String.format(Locale.ROOT, "%.4f", c.probability())))
                            .toList()));
        }
        log.println(
                "kafka-train: predict from a shell (after eval \"$(./kafka-train stack env)\", which exports the token):");
        out.println("  curl -H \"Authorization: Bearer $KAFKA_TRAIN_API_TOKEN\" --data-binary @"
                + (image == null ? "image.png" : image) + " -H 'content-type: "
                + (image != null && !image.toString().endsWith(".png") ? "image/jpeg" : "image/png") + "' " + url
                + "/predict/" + run);
    }
}
