package org.kafkatrain.launcher;

import org.kafkatrain.stack.StackCommand;
import picocli.CommandLine.Command;

/** {@code up}: the stack plus trainer-service and metrics-stream, each started where it is not running. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description =
                "The local stack plus trainer-service (TRAINER_PORT, 8081) and metrics-stream (METRICS_PORT, 8082),"
                        + " each started where it is not running, and waited for until ready.")
final class UpCommand implements Runnable {
    @Override
    public void run() {
        StackCommand.fromEnvironment().up();
    }
}
