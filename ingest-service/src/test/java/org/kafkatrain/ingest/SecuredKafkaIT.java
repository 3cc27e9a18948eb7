package org.kafkatrain.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kafkatrain.testing.FashionMnist;
import org.kafkatrain.testing.LocalStack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker that requires SASL (PLAIN over SASL_PLAINTEXT), and the packaged ingest-service pointed at it by
 * environment variables only, as a container or the Helm chart does: KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM,
 * KAFKA_SASL_JAAS_CONFIG reach its admin client, consumer and producer. Without them the same command cannot publish.
 */
class SecuredKafkaIT {
    private static final Path ROOT = LocalStack.projectRoot();
    private static final String PASSWORD = UUID.randomUUID().toString();
    private static Process broker;
    private static Path dir;
    private static int port;

    @BeforeAll
    static void startBroker() throws Exception {
        dir = Files.createTempDirectory("sasl-broker");
        port = freePort();
        int controller = freePort();
        String jaas = jaas("admin", PASSWORD);
        Path properties = dir.resolve("server.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        List.of(
                                "process.roles=broker,controller",
                                "node.id=1",
                                "controller.quorum.voters=1@127.0.0.1:" + controller,
                                "listeners=SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:"
                                        + controller,
                                "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
                                "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                                "controller.listener.names=CONTROLLER",
                                "inter.broker.listener.name=SASL_PLAINTEXT",
                                "sasl.enabled.mechanisms=PLAIN",
                                "sasl.mechanism.inter.broker.protocol=PLAIN",
                                "listener.name.sasl_plaintext.plain.sasl.jaas.config=" + jaas.replace(";", "")
                                        + " user_admin=\"" + PASSWORD + "\";",
                                "offsets.topic.replication.factor=1",
                                "transaction.state.log.replication.factor=1",
                                "transaction.state.log.min.isr=1",
                                "group.initial.rebalance.delay.ms=0",
                                "message.max.bytes=2097152",
                                "log.dirs=" + dir.resolve("data"))));
        run(kafka("kafka.tools.StorageTool", "format", "-t", "q1Sh-9_ISia_zwGINzRvyQ", "-c", properties.toString()));
        broker = new ProcessBuilder(kafka("kafka.Kafka", properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!open(port)) {
            assertThat(broker.isAlive())
                    .as(Files.readString(dir.resolve("server.log")))
                    .isTrue();
            assertThat(System.nanoTime()).as("broker up within 90 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void ingestReachesASaslBrokerThroughItsKafkaSettingsAlone() throws Exception {
        String topic = "sasl.images.train";
        Map<String, String> security = Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_SASL_JAAS_CONFIG", jaas("admin", PASSWORD));
        Result published = ingest(security, topic);
        assertThat(published.exit()).as(published.output()).isZero();

        Map<String, Object> consumer = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + port,
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                jaas("admin", PASSWORD)));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(consumer, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            long end = c.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            while (records.size() < end) {
                c.poll(Duration.ofSeconds(1)).forEach(records::add);
            }
        }
        assertThat(records).isNotEmpty();

        Result refused = ingest(Map.of(), "sasl.images.refused");
        assertThat(refused.exit()).as("without the SASL settings").isNotZero();
    }

    private static Result ingest(Map<String, String> env, String topic) throws IOException, InterruptedException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0",
                "-Dingest.connect-timeout-seconds=10",
                "-jar",
                ROOT.resolve("ingest-service/target/quarkus-app/quarkus-run.jar")
                        .toString(),
                "ingest",
                FashionMnist.DIR.toString(),
                "--dataset",
                "sasl-" + UUID.randomUUID().toString().substring(0, 8),
                "--train-topic",
                topic,
                "--val-topic",
                topic + ".val",
                "--limit",
                "50",
                "--val-limit",
                "10");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("KAFKA_"));
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + port);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exit, String output) {}

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static List<String> kafka(String main, String... args) throws IOException {
        String classpath = Files.readString(ROOT.resolve("local-stack/kafka/target/classpath.txt"))
                .strip();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dlog4j2.configurationFile=" + ROOT.resolve("local-stack/kafka/log4j2.properties"),
                "-cp",
                classpath,
                main));
        command.addAll(List.of(args));
        return command;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    private static boolean open(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
