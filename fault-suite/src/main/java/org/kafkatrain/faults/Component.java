package org.kafkatrain.faults;

/** A process of the local stack that the suite kills, stops or pauses, found through the launcher's pid file. */
enum Component {
    KAFKA("Kafka broker", "kafka/kafka.pid"),
    S3("S3 server", "s3/s3.pid"),
    TRAINER("trainer-service", "trainer/trainer.pid"),
    METRICS("metrics-stream", "metrics/metrics.pid");

    final String label;
    final String pidFile;

    Component(String label, String pidFile) {
        this.label = label;
        this.pidFile = pidFile;
    }
}
