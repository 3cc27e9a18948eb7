package org.kafkatrain.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CI-sized subset of {@code ./kafka-train faults}, through the same code on real processes: the scenarios that
 * cover the most failure paths per minute. The full suite, twice in a row, is {@code ./kafka-train faults --rounds 2}.
 */
class FaultSuiteIT {
    private static final String SUBSET = "bad-records,trainer-kill,disk-full";

    @Test
    void faultsCostTimeNeverSamples() throws Exception {
        List<Scenario> scenarios = Arrays.stream(
                        System.getProperty("faults.scenarios", SUBSET).split(","))
                .map(Scenario::byLabel)
                .toList();

        // Its own home and ports: never a user's .local/faults or a port they use.
        Path home = Path.of("target", "faults-it").toAbsolutePath();
        List<Audit.Result> results = FaultSuite.run(scenarios, 1, 20, freePortRange(5), home, false);

        System.out.println(ResultTable.markdown(results));
        assertThat(results).hasSize(scenarios.size());
        assertThat(results)
                .allSatisfy(r -> assertThat(r.failures()).as(r.scenario()).isEmpty());
        if ("true".equals(System.getenv("CI"))) {
            // CI runs as root, so the disk-full drill must have run, not been skipped.
            assertThat(results).noneMatch(r -> r.faults().stream().anyMatch(f -> f.startsWith("SKIPPED")));
        }
    }

    /** The first of {@code count} consecutive ports that are free now (the suite numbers its servers' ports from it). */
    private static int freePortRange(int count) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base;
            try (ServerSocket first = new ServerSocket(0)) {
                base = first.getLocalPort();
            }
            if (base + count > 65535) {
                continue;
            }
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int port = base; port < base + count; port++) {
                    held.add(new ServerSocket(port));
                }
                return base;
            } catch (IOException taken) {
                // one of the range is in use: try another base
            } finally {
                for (ServerSocket socket : held) {
                    socket.close();
                }
            }
        }
        throw new IOException("no " + count + " consecutive free ports");
    }
}
