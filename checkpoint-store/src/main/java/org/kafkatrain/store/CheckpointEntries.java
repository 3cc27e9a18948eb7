package org.kafkatrain.store;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries a kafka-train checkpoint holds beside PyTorch's own (model, optimizer, lr_scheduler), in the torch.save
 * dict as this codec writes and reads them: where the run stands, the Kafka offsets that define its epoch, its
 * dead-letter ledger and its spec. The dict's layout is the format's ({@link #FORMAT}): PyTorch loads it as it is.
 *
 * @param epochSamples samples of the epoch trained when the checkpoint was taken
 * @param acc1         val top-1 % of the epoch, for an epoch's checkpoint (else null)
 * @param run          the run's spec, as JSON
 */
public record CheckpointEntries(
        int epoch,
        boolean epochComplete,
        long epochSamples,
        long step,
        double loss,
        Double acc1,
        Double acc5,
        Offsets offsets,
        DeadLetters deadLetters,
        String run) {
    public static final String FORMAT = "kafka-train/checkpoint/1";

    /**
     * Partition -> offset of the train topic: where the run's first epoch starts, where this epoch starts, and where
     * it ends (epochs mode) or the next one starts (continuous mode; null until known).
     */
    public record Offsets(
            String topic, Map<Integer, Long> runStart, Map<Integer, Long> epochStart, Map<Integer, Long> epochEnd) {}

    /**
     * How far each topic partition ("topic-partition") was examined for dead letters, and the records rejected so
     * far: a record is dead-lettered once per run, however often it is read.
     */
    public record DeadLetters(Map<String, Long> examinedUpTo, long rejected) {
        public static final DeadLetters NONE = new DeadLetters(Map.of(), 0);
    }

    /** The entries as the torch.save dict holds them (partitions as int64 keys, as Python reads them). */
    public Map<String, Object> toDict() {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("epoch", (long) epoch);
        dict.put("epoch_complete", epochComplete);
        dict.put("epoch_samples", epochSamples);
        dict.put("step", step);
        dict.put("loss", loss);
        dict.put("acc1", acc1);
        dict.put("acc5", acc5);
        Map<String, Object> offsetsDict = new LinkedHashMap<>();
        offsetsDict.put("topic", offsets.topic());
        offsetsDict.put("run_start", partitionsToDict(offsets.runStart()));
        offsetsDict.put("epoch_start", partitionsToDict(offsets.epochStart()));
        offsetsDict.put("epoch_end", partitionsToDict(offsets.epochEnd()));
        dict.put("offsets", offsetsDict);
        Map<String, Object> ledger = new HashMap<>();
        ledger.put("examined_up_to", new HashMap<>(deadLetters.examinedUpTo()));
        ledger.put("rejected", deadLetters.rejected());
        dict.put("dead_letters", ledger);
        dict.put("run", run);
        dict.put("format", FORMAT);
        return dict;
    }

    /** The entries of a checkpoint's dict, as {@link #toDict} writes them (a model-only file has none: null). */
    @SuppressWarnings("unchecked")
    public static CheckpointEntries fromDict(Map<String, Object> dict) {
        if (!(dict.get("offsets") instanceof Map<?, ?> offsets)) {
            return null;
        }
        Map<String, Object> ledger = (Map<String, Object>) dict.get("dead_letters");
        return new CheckpointEntries(
                Math.toIntExact((Long) dict.get("epoch")),
                Boolean.TRUE.equals(dict.get("epoch_complete")),
                (Long) dict.get("epoch_samples"),
                (Long) dict.get("step"),
                ((Number) dict.get("loss")).doubleValue(),
                (Double) dict.get("acc1"),
                (Double) dict.get("acc5"),
                new Offsets(
                        (String) offsets.get("topic"),
                        partitionsFromDict(offsets.get("run_start")),
                        partitionsFromDict(offsets.get("epoch_start")),
                        partitionsFromDict(offsets.get("epoch_end"))),
                ledger == null
                        ? DeadLetters.NONE
                        : new DeadLetters(
                                (Map<String, Long>) ledger.get("examined_up_to"), (Long) ledger.get("rejected")),
                (String) dict.get("run"));
    }

    private static Map<Long, Long> partitionsToDict(Map<Integer, Long> offsets) {
        if (offsets == null) {
            return null;
        }
        Map<Long, Long> out = new HashMap<>();
        offsets.forEach((p, o) -> out.put((long) p, o));
        return out;
    }

    private static Map<Integer, Long> partitionsFromDict(Object stored) {
        if (stored == null) {
            return null;
        }
        Map<Integer, Long> out = new HashMap<>();
        ((Map<?, ?>) stored).forEach((p, o) -> out.put(((Long) p).intValue(), (Long) o));
        return out;
    }
}
