package org.kafkatrain.faults.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The CI subset of {@code ./kafka-train abuse} ({@code --ci}), through the same code on real processes: one case or
 * two of each kind of input (REST to every service, a record on each topic, weights, a checkpoint in the bucket, an
 * IDX file). {@code -Dabuse.cases=ID,PREFIX,...} runs those cases instead. The whole suite is
 * {@code ./kafka-train abuse}.
 */
class AbuseSuiteIT {
    @Test
    void everyBadInputIsRefusedAndNothingGoesDown() throws Exception {
        String cases = System.getProperty("abuse.cases", "");
        var chosen = AbuseSuite.choose(cases.isEmpty(), cases.isEmpty() ? List.of() : Arrays.asList(cases.split(",")));

        // Its own home and ports: never a user's .local/abuse or a port they use.
        Path home = Path.of("target", "abuse-it").toAbsolutePath();
        long t0 = System.nanoTime();
        List<AbuseSuite.Outcome> outcomes =
                AbuseSuite.run(chosen, 10, freePortRange(7), home, false, new Memory.Tolerance(32L << 20, 64L << 20));

        System.out.println(AbuseTable.markdown(outcomes, Duration.ofNanos(System.nanoTime() - t0)));
        assertThat(outcomes).isNotEmpty();
        assertThat(outcomes)
                .allSatisfy(o -> assertThat(o.answer().failures())
                        .as(o.c().id() + " (" + o.c().input() + ")")
                        .isEmpty());
    }

    /**
     * The first of {@code count} consecutive ports that are free now, below 32768: outgoing connections take their
     * local ports from 32768-60999, so a port there that is free now may be a client's by the time a server binds it.
     */
    private static int freePortRange(int count) throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20_000 + random.nextInt(12_000);
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
