package org.kafkatrain.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * charts/kafka-train rendered by the real Helm library, as Kubernetes objects. helm-java's template leaves hooks
 * out (manusa/helm-java#416, open), so it renders a copy of the chart in which the hook annotations carry another
 * name ({@link #HOOK}); everything else is the chart as it ships.
 */
record Chart(String manifest, List<HasMetadata> objects) {
    /** What {@code helm.sh/hook} is called in the rendered copy. */
    static final String HOOK = "kafka-train.test/hook";

    static final String RELEASE = "kt";
    static final String KUBE_VERSION = "1.31.0";

    /** {@code helm template} with values files (ci/...) and --set pairs. */
    static Chart render(List<String> valuesFiles, Map<String, String> set) {
        TemplateCommand template = new Helm(copy(Repo.CHART.getFileName().toString()))
                .template()
                .withName(RELEASE)
                .withNamespace("training")
                // Helm's offline default is 1.20; the chart needs 1.25 (policy/v1 and batch/v1 everywhere)
                .withKubeVersion(KUBE_VERSION);
        for (String file : valuesFiles) {
            template = template.withValuesFile(Repo.CHART.resolve(file));
        }
        for (Map.Entry<String, String> entry : set.entrySet()) {
            template = template.set(entry.getKey(), entry.getValue());
        }
        String manifest = template.call();
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<HasMetadata> objects = Arrays.stream(manifest.split("(?m)^---\\s*$"))
                .filter(doc -> doc.lines().anyMatch(line -> line.startsWith("kind:")))
                .map(doc -> serialization.unmarshal(doc, HasMetadata.class))
                .toList();
        return new Chart(manifest, objects);
    }

    static Chart render(String... valuesFiles) {
        return render(List.of(valuesFiles), Map.of());
    }

    <T extends HasMetadata> T get(Class<T> kind, String name) {
        return find(kind, name)
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name + " in:\n" + manifest));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
        return objects.stream()
                .filter(kind::isInstance)
                .map(kind::cast)
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst();
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** A copy of the chart in a fresh temporary folder, its hooks renamed so that template renders them. */
    static Path copy(String name) {
        try {
            Path copy = Files.createTempDirectory(Files.createDirectories(Path.of("target/charts")), "chart")
                    .resolve(name);
            try (Stream<Path> files = Files.walk(Repo.CHART)) {
                for (Path file : files.toList()) {
                    Path target = copy.resolve(Repo.CHART.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.writeString(target, Files.readString(file).replace("helm.sh/hook:", HOOK + ":"));
                    }
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
