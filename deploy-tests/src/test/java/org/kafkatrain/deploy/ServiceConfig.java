package org.kafkatrain.deploy;

import io.smallrye.config.ConfigMappings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.kafkatrain.contracts.security.AllowedHosts;
import org.kafkatrain.contracts.security.ApiToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * What a service's own configuration says about it, read from its {@code application.properties} and its
 * {@code @ConfigMapping} interfaces rather than repeated here: the HTTP port, the health paths, and which
 * environment variables it reads.
 */
final class ServiceConfig {
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    private final String module;
    private final SmallRyeConfig config;
    private final Set<String> envNames = new HashSet<>();

    private ServiceConfig(String module, Class<?>... mappings) {
        this.module = module;
        Path file = Repo.ROOT.resolve(module).resolve("src/main/resources/application.properties");
        try {
            config = new SmallRyeConfigBuilder()
                    .withProfile("prod")
                    .withSources(new PropertiesConfigSource(file.toUri().toURL(), 250))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher references = ENV_REFERENCE.matcher(Repo.read(file));
        while (references.find()) {
            envNames.add(references.group(1));
        }
        StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> !name.startsWith("%"))
                .forEach(name -> envNames.add(envForm(name)));
        Arrays.stream(mappings)
                .flatMap(mapping ->
                        ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping)).keySet().stream())
                .forEach(name -> envNames.add(envForm(name)));
    }

    static ServiceConfig trainer() {
        return new ServiceConfig(
                "trainer-service",
                org.kafkatrain.trainer.config.TrainerConfig.class,
                org.kafkatrain.store.S3Config.class);
    }

    static ServiceConfig metrics() {
        return new ServiceConfig("metrics-stream", org.kafkatrain.metrics.config.MetricsConfig.class);
    }

    static ServiceConfig inference() {
        return new ServiceConfig(
                "inference-service",
                org.kafkatrain.inference.config.InferenceConfig.class,
                org.kafkatrain.store.S3Config.class);
    }

    static ServiceConfig ingest() {
        return new ServiceConfig("ingest-service", org.kafkatrain.ingest.config.IngestConfig.class);
    }

    String module() {
        return module;
    }

    int httpPort() {
        return config.getValue("quarkus.http.port", Integer.class);
    }

    String httpHost() {
        return config.getValue("quarkus.http.host", String.class);
    }

    /** SmallRye Health's endpoint of one kind (ready, live, started) under Quarkus's non-application root. */
    String healthPath(String kind) {
        String root = config.getOptionalValue("quarkus.http.non-application-root-path", String.class)
                .orElse("q");
        String health = config.getOptionalValue("quarkus.smallrye-health.root-path", String.class)
                .orElse("health");
        return "/" + root + "/" + health + "/" + kind;
    }

    /**
     * Whether the service reads this environment variable: named in its file, the environment form of one of its
     * properties, the API token, the allowed hosts (every service's filter reads it), or a Kafka client setting (Quarkus passes every {@code KAFKA_*} to the clients).
     */
    boolean reads(String env) {
        return envNames.contains(env)
                || env.equals(ApiToken.ENV) && !module.equals("metrics-stream")
                || env.equals(envForm(AllowedHosts.PROPERTY))
                || env.startsWith("KAFKA_SASL_")
                || env.startsWith("KAFKA_SSL_")
                || env.equals("KAFKA_SECURITY_PROTOCOL");
    }

    /** MicroProfile Config's environment form of a property name. */
    static String envForm(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
