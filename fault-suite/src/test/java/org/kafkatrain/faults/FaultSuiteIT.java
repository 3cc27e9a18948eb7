package org.kafkatrain.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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

        List<Audit.Result> results = FaultSuite.run(scenarios, 1, 20, 39192, null, false);

        System.out.println(ResultTable.markdown(results));
        assertThat(results).hasSize(scenarios.size());
        assertThat(results)
                .allSatisfy(r -> assertThat(r.failures()).as(r.scenario()).isEmpty());
        if ("true".equals(System.getenv("CI"))) {
            // CI runs as root, so the disk-full drill must have run, not been skipped.
            assertThat(results).noneMatch(r -> r.faults().stream().anyMatch(f -> f.startsWith("SKIPPED")));
        }
    }
}
