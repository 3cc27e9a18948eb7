package org.kafkatrain.metrics.model;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.kafkatrain.contracts.TrainingStep;

import java.nio.ByteBuffer;

/**
 * The last N steps of a run and split (oldest first) as the figures the rolling metric needs, and how many steps
 * arrived in all. Stored in a compact binary form: this state is rewritten on every step.
 */
public final class LastSteps {
    private static final int ENTRY_BYTES = 4 + 8 + 8 + 8 + 8 + 4;

    private final int[] samples;
    private final double[] loss;
    private final long[] correct1;
    private final long[] correct5;
    private final long[] timestamp;
    private final int[] epoch;
    private final long arrived;

    private LastSteps(int size, long arrived) {
        samples = new int[size];
        loss = new double[size];
        correct1 = new long[size];
        correct5 = new long[size];
        timestamp = new long[size];
        epoch = new int[size];
        this.arrived = arrived;
    }

    public static LastSteps empty() {
        return new LastSteps(0, 0);
    }

    public long arrived() {
        return arrived;
    }

    public int size() {
        return samples.length;
    }

    public LastSteps push(TrainingStep step, int capacity) {
        int keep = Math.min(samples.length, capacity - 1);
        LastSteps next = new LastSteps(keep + 1, arrived + 1);
        int from = samples.length - keep;
        System.arraycopy(samples, from, next.samples, 0, keep);
        System.arraycopy(loss, from, next.loss, 0, keep);
        System.arraycopy(correct1, from, next.correct1, 0, keep);
        System.arraycopy(correct5, from, next.correct5, 0, keep);
        System.arraycopy(timestamp, from, next.timestamp, 0, keep);
        System.arraycopy(epoch, from, next.epoch, 0, keep);
        next.samples[keep] = step.samples();
        next.loss[keep] = step.loss();
        next.correct1[keep] = step.correct1();
        next.correct5[keep] = step.correct5();
        next.timestamp[keep] = step.timestamp();
        next.epoch[keep] = step.epoch();
        return next;
    }

    public StepAggregate aggregate() {
        StepAggregate a = StepAggregate.EMPTY;
        for (int i = 0; i < samples.length; i++) {
            a = a.add(samples[i], loss[i], correct1[i], correct5[i], timestamp[i], epoch[i]);
        }
        return a;
    }

    public static Serde<LastSteps> serde() {
        return Serdes.serdeFrom(
                (topic, s) -> {
                    if (s == null) {
                        return null;
                    }
                    ByteBuffer b = ByteBuffer.allocate(12 + s.size() * ENTRY_BYTES)
                            .putLong(s.arrived)
                            .putInt(s.size());
                    for (int i = 0; i < s.size(); i++) {
                        b.putInt(s.samples[i])
                                .putDouble(s.loss[i])
                                .putLong(s.correct1[i])
                                .putLong(s.correct5[i])
                                .putLong(s.timestamp[i])
                                .putInt(s.epoch[i]);
                    }
                    return b.array();
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    ByteBuffer b = ByteBuffer.wrap(bytes);
                    long arrived = b.getLong();
                    LastSteps s = new LastSteps(b.getInt(), arrived);
                    for (int i = 0; i < s.size(); i++) {
                        s.samples[i] = b.getInt();
                        s.loss[i] = b.getDouble();
                        s.correct1[i] = b.getLong();
                        s.correct5[i] = b.getLong();
                        s.timestamp[i] = b.getLong();
                        s.epoch[i] = b.getInt();
                    }
                    return s;
                });
    }
}
