package org.kafkatrain.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST APIs' OpenAPI documents in {@code docs/api/} are the ones the services serve at {@code /q/openapi}: each
 * service's build stores its document (quarkus.smallrye-openapi.store-schema-directory), and a stale copy fails here
 * with the command that refreshes it. {@code docs/api.md} lists each document's endpoints as rendered here.
 */
class OpenApiDocsTest {
    private static final Pattern PATH = Pattern.compile("^  (/\\S*):$");
    private static final Pattern METHOD = Pattern.compile("^    (get|post|put|delete|patch):$");

    @ParameterizedTest
    @ValueSource(strings = {"trainer-service", "metrics-stream", "inference-service", "ingest-service"})
    void docsHoldTheDocumentTheServiceServes(String service) {
        Path built = Repo.ROOT.resolve(service).resolve("target/openapi/openapi.yaml");
        Path docs = Repo.ROOT.resolve("docs/api").resolve(service + ".yaml");
        String refresh = "refresh with: cp " + Repo.ROOT.relativize(built) + " " + Repo.ROOT.relativize(docs);
        assertThat(built).as("built by the service's module (quarkus:build)").exists();
        assertThat(docs).as(refresh).exists();
        assertThat(Repo.read(docs))
                .as("docs/api/%s.yaml is stale; %s", service, refresh)
                .isEqualTo(Repo.read(built));
        assertThat(Repo.read(Repo.ROOT.resolve("docs/api.md")))
                .as("docs/api.md lists %s's endpoints as its document has them", service)
                .contains(endpoints(service, Repo.read(built)));
    }

    /** The document's endpoints as docs/api.md lists them: a table row per method and path, in the document's order. */
    static String endpoints(String service, String yaml) {
        List<String> rows = new ArrayList<>();
        boolean inPaths = false;
        String path = null;
        for (String line : yaml.split("\n")) {
            if (line.equals("paths:")) {
                inPaths = true;
                continue;
            }
            if (inPaths && !line.isEmpty() && !line.startsWith(" ")) {
                inPaths = false;
            }
            Matcher p = PATH.matcher(line);
            Matcher m = METHOD.matcher(line);
            if (inPaths && p.matches()) {
                path = p.group(1);
            } else if (inPaths && m.matches()) {
                rows.add("| " + service + " | `" + m.group(1).toUpperCase() + " " + path + "` |");
            }
        }
        return String.join("\n", rows) + "\n";
    }
}
