package org.kafkatrain.ingest.source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Decides which images go to train and which to val: the source's own split when it has one, otherwise a seeded
 * split stratified by class (each class contributes the same fraction to val); then caps images per class.
 */
public final class SplitPlan {
    private SplitPlan() {}

    /** @return split name ("train", "val") -> images, in a deterministic order */
    public static Map<String, List<SourceImage>> plan(
            List<SourceImage> images,
            boolean sourceHasSplits,
            double valFraction,
            long seed,
            int limitPerClass,
            int valLimitPerClass) {
        Map<String, List<SourceImage>> bySplit = new HashMap<>();
        if (sourceHasSplits) {
            for (SourceImage image : images) {
                bySplit.computeIfAbsent(image.split(), s -> new ArrayList<>()).add(image);
            }
        } else {
            Map<Integer, List<SourceImage>> byClass =
                    images.stream().collect(Collectors.groupingBy(SourceImage::label));
            Random random = new Random(seed);
            for (var entry : new java.util.TreeMap<>(byClass).entrySet()) {
                List<SourceImage> shuffled = new ArrayList<>(entry.getValue());
                Collections.shuffle(shuffled, random);
                int val = (int) Math.round(shuffled.size() * valFraction);
                bySplit.computeIfAbsent("val", s -> new ArrayList<>()).addAll(shuffled.subList(0, val));
                bySplit.computeIfAbsent("train", s -> new ArrayList<>()).addAll(shuffled.subList(val, shuffled.size()));
            }
        }
        Map<String, List<SourceImage>> limited = new HashMap<>();
        bySplit.forEach((split, list) ->
                limited.put(split, cap(list, "val".equals(split) ? valLimitPerClass : limitPerClass)));
        return limited;
    }

    private static List<SourceImage> cap(List<SourceImage> images, int perClass) {
        if (perClass <= 0) {
            return images;
        }
        Map<Integer, Integer> taken = new HashMap<>();
        List<SourceImage> out = new ArrayList<>();
        for (SourceImage image : images) {
            if (taken.merge(image.label(), 1, Integer::sum) <= perClass) {
                out.add(image);
            }
        }
        return out;
    }
}
