package org.kafkatrain.trainer.store;

import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.io.IOException;

/** Ready only when the checkpoint bucket is reachable: a run cannot be resumed or saved without it. */
@Readiness
public class CheckpointStoreHealthCheck implements HealthCheck {
    @Inject
    CheckpointStore store;

    @Override
    public HealthCheckResponse call() {
        try {
            store.ensureBucket();
            return HealthCheckResponse.named("checkpoint-store")
                    .up()
                    .withData("bucket", store.bucket())
                    .withData("endpoint", store.endpoint())
                    .build();
        } catch (IOException e) {
            return HealthCheckResponse.named("checkpoint-store")
                    .down()
                    .withData("error", e.getMessage())
                    .build();
        }
    }
}
