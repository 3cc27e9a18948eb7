package org.kafkatrain.store;

import org.kafkatrain.contracts.DatasetManifest;
import org.kafkatrain.contracts.runs.RunOverride;
import org.kafkatrain.contracts.runs.RunSpec;

import java.util.List;
import java.util.Map;

/**
 * {@code runs/<id>/run.json}: what a run is, written by its first replica when it starts, and again when a resume
 * overrides its settings. Read and written by {@link RunDocumentCodec}, which also reads the v1 documents of runs
 * started before specs were grouped.
 *
 * @param spec            the run's settings as it trains now
 * @param dataset         the manifest of its dataset when it started (classes, image shape, pinned records)
 * @param runStartOffsets partition -> the train topic's offset where its first epoch starts
 * @param forkedFrom      the run and checkpoint it forked from, or null
 * @param overrides       settings a resume changed on purpose, oldest first
 */
public record RunDocument(
        int v,
        RunSpec spec,
        DatasetManifest dataset,
        Map<Integer, Long> runStartOffsets,
        ForkedFrom forkedFrom,
        List<RunOverride> overrides,
        long createdAt) {
    public static final int VERSION = 2;

    public RunDocument {
        runStartOffsets = runStartOffsets == null ? Map.of() : Map.copyOf(runStartOffsets);
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
    }

    /** A new run's document. */
    public static RunDocument started(
            RunSpec spec, DatasetManifest dataset, Map<Integer, Long> runStartOffsets, ForkedFrom forkedFrom) {
        return new RunDocument(
                VERSION, spec, dataset, runStartOffsets, forkedFrom, List.of(), System.currentTimeMillis());
    }

    /** This document after a resume that changed {@code changes} on purpose, with the spec it now trains with. */
    public RunDocument overridden(RunSpec resumed, List<String> changes) {
        List<RunOverride> all = new java.util.ArrayList<>(overrides);
        all.add(new RunOverride(System.currentTimeMillis(), changes));
        return new RunDocument(VERSION, resumed, dataset, runStartOffsets, forkedFrom, all, createdAt);
    }

    /** @param checkpoint the parent's checkpoint object the fork started from */
    public record ForkedFrom(String run, String checkpoint) {}
}
