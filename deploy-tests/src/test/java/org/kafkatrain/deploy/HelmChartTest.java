package org.kafkatrain.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The Helm chart through the real Helm library (helm-java): lint, template with default and GPU values, schema. */
class HelmChartTest {
    private static final String PREFIX = Chart.RELEASE + "-kafka-train-";

    @Test
    void lintPassesWithTheLeastAnInstallNeeds() throws IOException {
        // as chart-testing does with ci/*-values.yaml: the chart's values with the CI values laid over them
        Path chart = copyWithValues("ci/minimal-values.yaml");
        LintResult lint = new Helm(chart).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void lintOfTheBareChartFailsOnTheMissingKafkaAddress() {
        LintResult lint = new Helm(Repo.CHART).lint().call();
        assertThat(lint.isFailed()).isTrue();
        assertThat(String.join("\n", lint.getMessages())).contains("bootstrapServers");
    }

    @Test
    void defaultValuesRenderTheThreeServicesWithProbesSecretsAndTheSetupHook() {
        Chart chart = Chart.render("ci/minimal-values.yaml");
        for (String component : List.of("trainer", "metrics", "ingest")) {
            Deployment deployment = chart.get(Deployment.class, PREFIX + component);
            Container container =
                    deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            ServiceConfig config = switch (component) {
                case "trainer" -> ServiceConfig.trainer();
                case "metrics" -> ServiceConfig.metrics();
                default -> ServiceConfig.ingest();
            };
            assertThat(container.getImage()).isEqualTo("kafka-train/" + config.module() + ":0.1.0-SNAPSHOT");
            assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(config.httpPort());
            assertProbe(container.getStartupProbe(), config.healthPath("started"));
            assertProbe(container.getLivenessProbe(), config.healthPath("live"));
            assertProbe(container.getReadinessProbe(), config.healthPath("ready"));
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getSecurityContext()
                            .getRunAsNonRoot())
                    .isTrue();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                    .isTrue();
            Map<String, EnvVar> env = env(container);
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS").getValue()).isEqualTo("kafka-bootstrap.kafka.svc:9092");
            assertThat(env.get("KAFKA_TRAIN_ALLOWED_HOSTS").getValue().split(","))
                    .as("%s answers to its Service's names and loopback, and no other Host", component)
                    .contains("localhost", "127.0.0.1", PREFIX + component)
                    .anyMatch(host -> host.startsWith(PREFIX + component + ".") && host.endsWith(".svc"));
            env.keySet()
                    .forEach(name -> assertThat(config.reads(name))
                            .as("%s sets %s, which %s does not read", component, name, config.module())
                            .isTrue());
            env.values().stream()
                    .filter(e -> e.getName().matches(".*(SECRET|PASSWORD|TOKEN|ACCESS_KEY).*"))
                    .forEach(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName())
                            .as("%s comes from a Secret", e.getName())
                            .isIn(PREFIX + "credentials", PREFIX + "api-token"));
            assertThat(chart.get(Service.class, PREFIX + component)
                            .getSpec()
                            .getPorts()
                            .get(0)
                            .getPort())
                    .isEqualTo(config.httpPort());
            assertThat(chart.find(PodDisruptionBudget.class, PREFIX + component))
                    .isPresent();
        }
        Container trainer = container(chart, "trainer");
        assertThat(env(trainer).get("S3_ENDPOINT").getValue()).isEqualTo("http://minio.minio.svc:9000");
        assertThat(env(trainer).get("TRAINER_DEVICE").getValue()).isEqualTo("cpu");
        assertThat(trainer.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");

        Job setup = chart.get(Job.class, PREFIX + "setup");
        assertThat(setup.getMetadata().getAnnotations()).containsEntry(Chart.HOOK, "pre-install,pre-upgrade");
        String script = setup.getSpec()
                .getTemplate()
                .getSpec()
                .getInitContainers()
                .get(0)
                .getArgs()
                .get(0);
        assertThat(script)
                .contains("images.train images.val")
                .contains("create datasets 1 --config cleanup.policy=compact");
        assertThat(setup.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getArgs()
                        .get(0))
                .contains("mc mb --ignore-existing");
        Secret secret = chart.get(Secret.class, PREFIX + "credentials");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("helm.sh/hook-weight", "-10");
        Secret token = chart.get(Secret.class, PREFIX + "api-token");
        assertThat(token.getMetadata().getAnnotations())
                .containsEntry(Chart.HOOK, "pre-install")
                .containsEntry("helm.sh/resource-policy", "keep");
        assertThat(token.getStringData().get("api-token")).as("generated").hasSize(48);
        assertThat(chart.all(Ingress.class)).isEmpty();
        assertThat(env(trainer)).doesNotContainKeys("KAFKA_SASL_JAAS_CONFIG", "SASL_PASSWORD", "S3_CA_FILE");
        assertThat(chart.manifest()).doesNotContain("nvidia");
    }

    @Test
    void gpuValuesRenderTheCudaImageWithAGpuLimitOnAGpuNode() {
        Chart chart = Chart.render("ci/gpu-values.yaml");
        Deployment deployment = chart.get(Deployment.class, PREFIX + "trainer");
        Container trainer = container(chart, "trainer");
        assertThat(trainer.getImage()).isEqualTo("kafka-train/trainer-service:0.1.0-SNAPSHOT-cuda");
        assertThat(trainer.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(env(trainer).get("TRAINER_DEVICE").getValue()).isEqualTo("cuda");
        assertThat(deployment.getSpec().getTemplate().getSpec().getNodeSelector())
                .containsEntry("nvidia.com/gpu.present", "true");
        assertThat(deployment.getSpec().getTemplate().getSpec().getTolerations())
                .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
        assertProbe(trainer.getReadinessProbe(), ServiceConfig.trainer().healthPath("ready"));
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");

        // SASL_SSL with the password from the existing Secret, the brokers' CA and S3's CA mounted
        Map<String, EnvVar> env = env(trainer);
        assertThat(env.get("KAFKA_SECURITY_PROTOCOL").getValue()).isEqualTo("SASL_SSL");
        assertThat(env.get("KAFKA_SASL_JAAS_CONFIG").getValue())
                .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required")
                .contains("password=\"$(SASL_PASSWORD)\"");
        assertThat(env.get("SASL_PASSWORD").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("kafka-train-credentials");
        assertThat(env.get("KAFKA_SSL_TRUSTSTORE_LOCATION").getValue()).isEqualTo("/etc/kafka-train/kafka-ca/ca.crt");
        assertThat(env.get("S3_CA_FILE").getValue()).isEqualTo("/etc/kafka-train/s3-ca/ca.crt");
        assertThat(chart.find(Secret.class, PREFIX + "credentials"))
                .as("existingSecret: none made")
                .isEmpty();
        Ingress ingress = chart.get(Ingress.class, PREFIX + "dashboard");
        assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("kafka-train.example.com");
        assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("kafka-train-tls");
    }

    @Test
    void replicasRenderAStatefulSetWhosePodIndexIsTheRankWithRankZeroAsTheRendezvous() {
        Chart chart = Chart.render(List.of("ci/minimal-values.yaml"), Map.of("trainer.replicas", "3"));
        assertThat(chart.find(Deployment.class, PREFIX + "trainer")).isEmpty();
        StatefulSet set = chart.get(StatefulSet.class, PREFIX + "trainer");
        assertThat(set.getSpec().getReplicas()).isEqualTo(3);
        assertThat(set.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(set.getSpec().getServiceName()).isEqualTo(PREFIX + "trainer-ranks");
        Container trainer =
                set.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> env = env(trainer);
        assertThat(env.get("TRAINER_REPLICAS_RANK").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
        assertThat(env.get("TRAINER_REPLICAS_RENDEZVOUS").getValue())
                .startsWith(PREFIX + "trainer-0." + PREFIX + "trainer-ranks.")
                .endsWith(".svc:29400");
        assertThat(env.get("TRAINER_REPLICAS_PEERS").getValue().split(","))
                .as("rank 0 forwards a run to ranks 1 and 2 by their pods' names")
                .hasSize(2)
                .allSatisfy(url -> assertThat(url)
                        .matches("http://" + PREFIX + "trainer-[12]\\." + PREFIX + "trainer-ranks\\..*\\.svc:8081"));
        assertThat(env.keySet()).allMatch(ServiceConfig.trainer()::reads);
        assertThat(env.get("KAFKA_TRAIN_ALLOWED_HOSTS").getValue().split(","))
                .as("rank 0 forwards a run to the others by their pods' names, which they answer to")
                .anyMatch(host -> host.startsWith(PREFIX + "trainer-2." + PREFIX + "trainer-ranks."));
        NetworkPolicy policy = chart.get(NetworkPolicy.class, PREFIX + "trainer");
        assertThat(policy.getSpec().getIngress())
                .as("other pods reach the API port only; the ranks reach each other on every port (rendezvous, gloo)")
                .hasSize(2)
                .anySatisfy(rule -> assertThat(rule.getPorts())
                        .extracting(p -> p.getPort().getIntVal())
                        .containsExactly(8081))
                .anySatisfy(rule -> assertThat(rule.getPorts()).isNullOrEmpty());
        Service ranks = chart.get(Service.class, PREFIX + "trainer-ranks");
        assertThat(ranks.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(ranks.getSpec().getPorts()).extracting(p -> p.getPort()).contains(29400);
        assertThat(chart.get(Service.class, PREFIX + "trainer").getSpec().getSelector())
                .containsEntry("statefulset.kubernetes.io/pod-name", PREFIX + "trainer-0");
        assertThatThrownBy(() -> Chart.render(List.of("ci/minimal-values.yaml"), Map.of("trainer.replicas", "0")))
                .hasMessageContaining("replicas");
    }

    @Test
    void inferenceReadsTheBucketWithItsOwnKeysWhenAsked() {
        assertThat(s3KeyOf(Chart.render("ci/minimal-values.yaml"))).isEqualTo("s3-access-key");
        Chart own = Chart.render(
                List.of("ci/minimal-values.yaml"),
                Map.of(
                        "s3.inferenceKeys", "true",
                        "secrets.create.inferenceS3AccessKey", "reader",
                        "secrets.create.inferenceS3SecretKey", "reader-secret-placeholder"));
        assertThat(s3KeyOf(own)).isEqualTo("inference-s3-access-key");
        assertThat(env(own.get(Deployment.class, PREFIX + "trainer")
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0))
                        .get("S3_ACCESS_KEY")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getKey())
                .isEqualTo("s3-access-key");
        assertThatThrownBy(() -> Chart.render(List.of("ci/minimal-values.yaml"), Map.of("s3.inferenceKeys", "true")))
                .hasMessageContaining("inferenceS3AccessKey");
    }

    private static String s3KeyOf(Chart chart) {
        Container inference = chart.get(Deployment.class, PREFIX + "inference")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        return env(inference)
                .get("S3_ACCESS_KEY")
                .getValueFrom()
                .getSecretKeyRef()
                .getKey();
    }

    @Test
    void theSchemaRefusesAMissingKafkaAddress() {
        assertThatThrownBy(() -> Chart.render(List.of("ci/minimal-values.yaml"), Map.of("kafka.bootstrapServers", "")))
                .hasMessageContaining("bootstrapServers");
    }

    @Test
    void theSchemaRefusesPlainTextPasswords(@TempDir Path dir) throws IOException {
        Path inKafka = dir.resolve("kafka-password.yaml");
        Files.writeString(inKafka, "kafka:\n  sasl:\n    password: hunter2\n");
        assertThatThrownBy(() -> Chart.render(List.of("ci/minimal-values.yaml", inKafka.toString()), Map.of()))
                .hasMessageContaining("password");
        Path inEnv = dir.resolve("env-password.yaml");
        Files.writeString(inEnv, "trainer:\n  extraEnv:\n    - name: S3_SECRET_KEY\n      value: hunter2\n");
        assertThatThrownBy(() -> Chart.render(List.of("ci/minimal-values.yaml", inEnv.toString()), Map.of()))
                .hasMessageContaining("extraEnv");
        // the same name from a Secret is fine
        Path fromSecret = dir.resolve("env-secret.yaml");
        Files.writeString(
                fromSecret,
                "trainer:\n  extraEnv:\n    - name: S3_SECRET_KEY\n      valueFrom:\n        secretKeyRef: {name: s, key: k}\n");
        assertThat(Chart.render(List.of("ci/minimal-values.yaml", fromSecret.toString()), Map.of())
                        .objects())
                .isNotEmpty();
    }

    @Test
    void theSchemaRefusesAWrongValue() {
        assertThatThrownBy(
                        () -> Chart.render(List.of("ci/minimal-values.yaml"), Map.of("kafka.securityProtocol", "TLS")))
                .hasMessageContaining("securityProtocol");
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    private static Container container(Chart chart, String component) {
        return chart.get(Deployment.class, PREFIX + component)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
    }

    private static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    }

    /** A copy of the chart whose values.yaml is the chart's with {@code overlay} merged in. */
    @SuppressWarnings("unchecked")
    private static Path copyWithValues(String overlay) throws IOException {
        Path copy = Chart.copy("kafka-train");
        Yaml yaml = new Yaml();
        Map<String, Object> values = yaml.load(Repo.read(Repo.CHART.resolve("values.yaml")));
        merge(values, yaml.load(Repo.read(Repo.CHART.resolve(overlay))));
        Files.writeString(copy.resolve("values.yaml"), yaml.dump(values));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested && into.get(key) instanceof Map<?, ?> existing) {
                Map<String, Object> copy = new HashMap<>((Map<String, Object>) existing);
                merge(copy, (Map<String, Object>) nested);
                into.put(key, copy);
            } else {
                into.put(key, value);
            }
        });
    }
}
