package org.kafkatrain.faults;

import com.fasterxml.jackson.core.type.TypeReference;
import org.kafkatrain.contracts.runs.RunField;
import org.kafkatrain.contracts.runs.RunRequest;
import org.kafkatrain.contracts.runs.RunState;
import org.kafkatrain.contracts.runs.RunStatus;
import org.kafkatrain.launcher.LauncherException;
import org.kafkatrain.launcher.ServiceClient;
import org.kafkatrain.testing.FashionMnist;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One scenario's pipeline run: a Fashion-MNIST subset ingested onto topics of its own, a training run over them
 * through trainer-service's REST API, and a log of the faults injected into it. Waiting for the run survives the
 * trainer being away (killed, restarting).
 */
final class Drill {
    private static final TypeReference<RunStatus> STATUS = new TypeReference<>() {};
    static final int BATCH = 16;
    static final int CHECKPOINT_EVERY = 8;

    final String runId;
    final String dataset;
    final String trainTopic;
    final String valTopic;
    final int perClass;
    final int epochs;
    final LocalProcesses processes;
    final List<String> injected = new ArrayList<>();
    final List<BadRecords.Sent> badRecords = new ArrayList<>();
    private final ServiceClient trainer;

    Drill(String name, int round, LocalProcesses processes, int perClass, int epochs) {
        String suffix = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        this.runId = "faults-" + name + "-r" + round + "-" + suffix;
        this.dataset = "fmnist-" + runId;
        this.trainTopic = runId + ".train";
        this.valTopic = runId + ".val";
        this.perClass = perClass;
        this.epochs = epochs;
        this.processes = processes;
        this.trainer = new ServiceClient("trainer-service", processes.trainerUrl(), Optional.of(processes.apiToken()));
    }

    int trainSamples() {
        return perClass * FashionMnist.CLASSES;
    }

    int stepsPerEpoch() {
        return (trainSamples() + BATCH - 1) / BATCH;
    }

    /** The global step {@code fraction} of the way through {@code epoch}. */
    long stepIn(int epoch, double fraction) {
        return (long) epoch * stepsPerEpoch() + Math.round(fraction * stepsPerEpoch());
    }

    void note(String fault) {
        injected.add(fault);
        System.out.printf("[faults] %s: %s%n", runId, fault);
    }

    List<String> ingestArgs() {
        return List.of(
                FashionMnist.DIR.toString(),
                "--dataset",
                dataset,
                "--train-topic",
                trainTopic,
                "--val-topic",
                valTopic,
                "--limit",
                Integer.toString(perClass),
                "--val-limit",
                Integer.toString(Math.max(1, perClass / 4)),
                "--partitions",
                "2",
                "--no-progress");
    }

    void ingest() throws IOException, InterruptedException {
        processes.ingest(ingestArgs());
    }

    /** Starts the run, or resumes it from its checkpoints after a trainer restart (the same request). */
    void startRun() {
        // The records a careless producer adds after ingest (bad ones and valid extras) are part of the drills: the
        // run reads its topics whole, not only the records the dataset's manifest pins.
        RunRequest config = RunRequest.forRun(runId)
                .with(RunField.DATASET, dataset)
                .with(RunField.TRAIN_TOPIC, trainTopic)
                .with(RunField.VAL_TOPIC, valTopic)
                .with(RunField.WHOLE_TOPICS, true)
                .with(RunField.EPOCHS, epochs)
                .with(RunField.BATCH_SIZE, BATCH)
                .with(RunField.SEED, 11L)
                .with(RunField.CHECKPOINT_EVERY, CHECKPOINT_EVERY);
        trainer.post("/runs", config, 201, STATUS);
    }

    /** The run's status, or empty while trainer-service does not answer. */
    Optional<RunStatus> status() {
        try {
            return trainer.get("/runs/" + runId, STATUS);
        } catch (LauncherException e) {
            return Optional.empty();
        }
    }

    /** Waits until the run has reached {@code step}; fails if it ends first. */
    void awaitStep(long step) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<RunStatus> s = status();
            if (s.isPresent() && s.get().step() >= step) {
                return;
            }
            if (s.isPresent() && s.get().state().ended()) {
                throw new IllegalStateException("run ended " + s.get().state() + " before step " + step + ": "
                        + s.get().message());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("run did not reach step " + step + " within 10 min");
    }

    /** Waits for the run to end; a run the trainer only knows from its checkpoints ({@code RESUMABLE}) has not. */
    RunStatus awaitEnd() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<RunStatus> s = status();
            if (s.isPresent() && s.get().state().ended()) {
                return s.get();
            }
            if (s.isPresent() && s.get().state() == RunState.RESUMABLE) {
                throw new IllegalStateException("run is RESUMABLE: the trainer restarted and nobody resumed it");
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("run did not end within 20 min");
    }
}
