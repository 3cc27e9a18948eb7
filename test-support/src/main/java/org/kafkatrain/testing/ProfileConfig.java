package org.kafkatrain.testing;

import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.StreamSupport;

/**
 * A service's {@code application.properties} (and its {@code .env}, if any) as one profile sees it, with no
 * environment variables and no system properties: what {@code quarkus:dev} gets on a machine where nobody exported anything. Tests use it to show that
 * a profile is complete, or that it lacks what it must not carry (production credentials).
 */
public final class ProfileConfig {
    private ProfileConfig() {}

    /**
     * @param runtimeValues values Quarkus itself provides at run time (e.g. {@code quarkus.uuid})
     * @param mappings      the service's {@code @ConfigMapping} interfaces, validated as the application would
     */
    public static SmallRyeConfig load(String profile, Map<String, String> runtimeValues, Class<?>... mappings) {
        URL file = Thread.currentThread().getContextClassLoader().getResource("application.properties");
        if (file == null) {
            throw new IllegalStateException("no application.properties on the class path");
        }
        SmallRyeConfigBuilder builder =
                new SmallRyeConfigBuilder().withProfile(profile).withDefaultValues(runtimeValues);
        try {
            builder.withSources(new PropertiesConfigSource(file, 250));
            // quarkus:dev also reads the module's .env (the working directory of dev mode and of its tests)
            builder.withSources(new DotEnvConfigSourceProvider()
                    .getConfigSources(Thread.currentThread().getContextClassLoader()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Class<?> mapping : mappings) {
            builder.withMapping(mapping);
        }
        return builder.build();
    }

    /** Each property of the file whose value cannot be resolved in this profile, with the reason. */
    public static List<String> unresolved(SmallRyeConfig config) {
        List<String> problems = new ArrayList<>();
        StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> !name.startsWith("%"))
                .sorted()
                .forEach(name -> {
                    try {
                        // expands and converts like getValue, but lets an explicitly empty default (${x:}) be empty
                        config.getConfigValue(name);
                    } catch (NoSuchElementException | IllegalArgumentException e) {
                        problems.add(name + ": " + e.getMessage());
                    }
                });
        return problems;
    }
}
