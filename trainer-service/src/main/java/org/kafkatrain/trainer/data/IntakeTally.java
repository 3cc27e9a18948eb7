package org.kafkatrain.trainer.data;

import org.kafkatrain.contracts.InvalidRecordException.Problem;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Records a run's sources have read per topic, the samples accepted and the records rejected by problem, every pass
 * counted (unlike the {@link DeadLetterLedger}, which dead-letters a record once per run): what an epoch took in, to
 * tell a run that trains on its data from one that reads someone else's.
 */
public final class IntakeTally {
    private final Map<String, Count> byTopic = new HashMap<>();

    /** A record within the contract, with its samples. */
    public synchronized void accepted(String topic, int samples) {
        byTopic.merge(topic, new Count(1, samples, Map.of()), Count::plus);
    }

    public synchronized void rejected(String topic, Problem problem) {
        byTopic.merge(topic, new Count(1, 0, Map.of(problem, 1L)), Count::plus);
    }

    public synchronized Count of(String topic) {
        return byTopic.getOrDefault(topic, Count.NONE);
    }

    /** Records read, samples accepted and records rejected (by problem) on one topic. */
    public record Count(long records, long samples, Map<Problem, Long> rejected) {
        static final Count NONE = new Count(0, 0, Map.of());

        public Count {
            rejected = Map.copyOf(rejected);
        }

        Count plus(Count other) {
            Map<Problem, Long> sum = new EnumMap<>(Problem.class);
            sum.putAll(rejected);
            other.rejected.forEach((p, n) -> sum.merge(p, n, Long::sum));
            return new Count(records + other.records, samples + other.samples, sum);
        }

        /** What was counted after {@code before}. */
        public Count since(Count before) {
            Map<Problem, Long> diff = new EnumMap<>(Problem.class);
            rejected.forEach((p, n) -> {
                long d = n - before.rejected.getOrDefault(p, 0L);
                if (d > 0) {
                    diff.put(p, d);
                }
            });
            return new Count(records - before.records, samples - before.samples, diff);
        }

        public long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }

        /**
         * The rejected share of what was read, each rejected record counted as one sample (a batch envelope that
         * does not decode may have held more; its images are unknown): a lower bound of the data refused.
         */
        public double rejectedShare() {
            long rejectedRecords = rejectedTotal();
            return rejectedRecords == 0 ? 0 : (double) rejectedRecords / (rejectedRecords + samples);
        }

        /** "LABEL_OUT_OF_RANGE 92, SHAPE_MISMATCH 3", most frequent first. */
        public String problems() {
            return rejected.entrySet().stream()
                    .sorted(Map.Entry.<Problem, Long>comparingByValue().reversed())
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }
}
