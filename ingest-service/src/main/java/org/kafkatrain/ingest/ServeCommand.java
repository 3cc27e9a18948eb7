package org.kafkatrain.ingest;

import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;

/** Keeps the application up to serve the upload endpoint (POST /images) and health checks. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the HTTP upload API until stopped.")
public class ServeCommand implements Runnable {
    @Override
    public void run() {
        Quarkus.waitForExit();
    }
}
