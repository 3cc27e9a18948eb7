package org.kafkatrain.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kafkatrain.contracts.runs.RunConfig;
import org.kafkatrain.contracts.runs.RunMode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code train} sends, against a stand-in trainer on loopback (the JDK's HTTP server answering as
 * trainer-service does): only the options given, a default dataset for a new run only, the service's reason on errors.
 */
class TrainCommandTest {
    private HttpServer server;
    private final List<String> posted = new ArrayList<>();
    private volatile boolean runExists;

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
                code = request.path("batchSize").asInt(0) == 999 ? 400 : 201;
                reply = code == 400
                        ? "{\"error\":\"run r exists with batchSize = 32\"}"
                        : status(request.get("runId").asText(), "PENDING");
            } else {
                code = runExists ? 200 : 404;
                reply = runExists ? status("r", "RESUMABLE") : "{\"error\":\"no run\"}";
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
    void newRunSendsOnlyWhatWasGivenPlusTheDefaultDataset() throws Exception {
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
                        "--no-follow"))
                .isZero();
        RunConfig sent = ServiceClient.JSON.readValue(posted.get(0), RunConfig.class);
        assertThat(sent.runId()).isEqualTo("r");
        assertThat(sent.dataset()).isEqualTo(TrainCommand.DEFAULT_DATASET);
        assertThat(sent.epochs()).isEqualTo(3);
        assertThat(sent.mode()).isEqualTo(RunMode.CONTINUOUS);
        assertThat(sent.batchSize()).as("left to the trainer").isNull();
        assertThat(sent.lr()).isNull();
    }

    @Test
    void existingRunIsSentByIdAloneSoItResumesWithItsStoredConfig() throws Exception {
        runExists = true;
        assertThat(run("train", "--run-id", "r", "--no-follow")).isZero();
        JsonNode sent = ServiceClient.JSON.readTree(posted.get(0));
        assertThat(sent.get("runId").asText()).isEqualTo("r");
        assertThat(sent.get("dataset").isNull()).isTrue();
        assertThat(sent.get("epochs").isNull()).as("no CLI default of 1 epoch").isTrue();
    }

    @Test
    void refusedRunFailsWithTheTrainersReason() {
        ServiceClient trainer = new ServiceClient("trainer-service", url());
        assertThatThrownBy(() -> trainer.post(
                        "/runs", java.util.Map.of("runId", "r", "batchSize", 999), 201, TrainCommand.STATUS))
                .isInstanceOf(LauncherException.class)
                .hasMessage("trainer-service /runs: HTTP 400: run r exists with batchSize = 32");
    }

    @Test
    void trainerThatDoesNotAnswerGivesOneLineThatSaysSo() {
        ServiceClient nobody = new ServiceClient("trainer-service", "http://127.0.0.1:1");
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
