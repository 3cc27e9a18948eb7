package org.kafkatrain.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.runs.RunField;
import org.kafkatrain.contracts.runs.RunRequest;
import picocli.CommandLine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code train} sends, against a stand-in trainer on loopback (the JDK's HTTP server answering as
 * trainer-service does): only the options given, a default dataset for a new run only, the service's reason on errors.
 */
class TrainCommandTest {
    private HttpServer server;
    private final List<String> posted = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/runs", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String reply;
            int code;
            if (exchange.getRequestMethod().equals("POST")) {
                posted.add(body);
                JsonNode request = ServiceClient.JSON.readTree(body);
                code = request.path("optimization").path("batchSize").asInt(0) == 999 ? 400 : 201;
                reply = code == 400
                        ? "{\"error\":\"run r exists with batchSize = 32\"}"
                        : status(request.get("runId").asText(), "PENDING");
            } else {
                code = 200;
                reply = status("r", "RUNNING");
            }
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aRunIsSentWithOnlyWhatWasGivenSoTheTrainerFillsInTheRest() throws Exception {
        assertThat(run(
                        "train",
                        "--run-id",
                        "r",
                        "--epochs",
                        "3",
                        "--mode",
                        "continuous",
                        "--epoch-samples",
                        "500",
                        "--adam",
                        "for-loop",
                        "--no-follow"))
                .isZero();
        JsonNode sent = ServiceClient.JSON.readTree(posted.get(0));
        assertThat(sent.toString())
                .isEqualTo(
                        "{\"v\":2,\"runId\":\"r\",\"epochs\":3,\"data\":{\"mode\":\"continuous\",\"epochSamples\":500},"
                                + "\"compute\":{\"adam\":\"for-loop\"}}");
        RunRequest request = RunRequest.fromJson(sent);
        assertThat(request.get(RunField.DATASET))
                .as("a new run's default dataset is the trainer's")
                .isEmpty();
        assertThat(request.get(RunField.BATCH_SIZE)).as("left to the trainer").isEmpty();

        posted.clear();
        assertThat(run("train", "--run-id", "r", "--no-follow")).isZero();
        assertThat(ServiceClient.JSON.readTree(posted.get(0)).toString())
                .as("an existing run by its id alone resumes with its stored spec: no CLI default of 1 epoch")
                .isEqualTo("{\"v\":2,\"runId\":\"r\"}");
    }

    @Test
    void everyOptionThatSetsARunFieldIsAnOptionOfTrainAndTheHelpSaysWhatAResumeMayChange() {
        CommandLine train = KafkaTrain.commandLine().getSubcommands().get("train");
        for (RunField field : RunField.values()) {
            field.option()
                    .ifPresent(option -> assertThat(train.getCommandSpec().findOption(option))
                            .as("train has %s for %s", option, field.path())
                            .isNotNull());
        }
        // picocli wraps lines where it likes: compare without white space
        String help = train.getUsageMessage().replaceAll("\\s+", "");
        assertThat(help).contains(RunField.adjustableOnResumeText().replaceAll("\\s+", ""));
    }

    @Test
    void refusedRunFailsWithTheTrainersReason() {
        ServiceClient trainer = new ServiceClient("trainer-service", url(), Optional.empty());
        assertThatThrownBy(() -> trainer.post(
                        "/runs", RunRequest.forRun("r").with(RunField.BATCH_SIZE, 999), 201, TrainCommand.STATUS))
                .isInstanceOf(LauncherException.class)
                .hasMessage("trainer-service /runs: HTTP 400: run r exists with batchSize = 32");
    }

    @Test
    void trainerThatDoesNotAnswerGivesOneLineThatSaysSo() {
        ServiceClient nobody = new ServiceClient("trainer-service", "http://127.0.0.1:1", Optional.empty());
        assertThatThrownBy(() -> nobody.get("/runs", TrainCommand.STATUS))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("trainer-service at http://127.0.0.1:1/ did not answer");
    }

    private int run(String... args) {
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--trainer-url=" + url();
        return KafkaTrain.commandLine().execute(all);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String status(String runId, String state) {
        return "{\"runId\":\"" + runId + "\",\"state\":\"" + state
                + "\",\"epoch\":0,\"epochs\":1,\"step\":0,\"lr\":0.001,"
                + "\"epochSamplesDone\":0,\"epochSamplesTotal\":0,\"rejected\":0,\"message\":\"\"}";
    }
}
