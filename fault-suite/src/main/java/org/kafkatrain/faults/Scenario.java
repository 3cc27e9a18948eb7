package org.kafkatrain.faults;

import java.util.List;

/** The suite's scenarios: what happens before training (ingest, bad records) and the faults during it. */
enum Scenario {
    TRAINER_KILL("trainer-kill", 2, List.of(Fault.ingest()), List.of(Fault.killTrainer(0))),
    METRICS_KILL("metrics-kill", 2, List.of(Fault.ingest()), List.of(Fault.killMetrics(0))),
    BROKER_STOP("broker-stop", 2, List.of(Fault.ingestWithBrokerStopped()), List.of(Fault.stopBroker(0))),
    BROKER_PAUSE("broker-pause", 2, List.of(Fault.ingest()), List.of(Fault.pauseBroker(0))),
    S3_OUTAGE("s3-outage", 2, List.of(Fault.ingest()), List.of(Fault.stopS3(0))),
    BAD_RECORDS("bad-records", 2, List.of(Fault.ingest(), Fault.badRecords()), List.of()),
    DISK_FULL("disk-full", 2, List.of(Fault.ingest()), List.of(Fault.fillDisk(0))),
    ALL_IN_ONE(
            "all-in-one",
            4,
            List.of(Fault.ingestWithBrokerStopped(), Fault.badRecords()),
            List.of(
                    Fault.killTrainer(0),
                    Fault.killMetrics(1),
                    Fault.stopBroker(1),
                    Fault.pauseBroker(2),
                    Fault.stopS3(2),
                    Fault.fillDisk(3)));

    final String label;
    final int epochs;
    final List<Fault> beforeTraining;
    final List<Fault> duringTraining;

    Scenario(String label, int epochs, List<Fault> beforeTraining, List<Fault> duringTraining) {
        this.label = label;
        this.epochs = epochs;
        this.beforeTraining = beforeTraining;
        this.duringTraining = duringTraining;
    }

    boolean needsTmpfs() {
        return this == DISK_FULL || this == ALL_IN_ONE;
    }

    static Scenario byLabel(String label) {
        for (Scenario s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no scenario '" + label + "'");
    }
}
