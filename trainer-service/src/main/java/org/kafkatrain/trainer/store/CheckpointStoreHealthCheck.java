package org.kafkatrain.trainer.store;

import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.kafkatrain.store.CheckpointStore;

import java.io.IOException;

/**
 * Ready only when S3 answers: a run cannot be resumed or saved without it. Only looks (a probe runs every few
 * seconds); a missing bucket is created by the first run that needs it.
 */
@Readiness
public class CheckpointStoreHealthCheck implements HealthCheck {
    @Inject
    CheckpointStore store;

    @Override
    public HealthCheckResponse call() {
        try {
            boolean exists = store.bucketExists();
            return HealthCheckResponse.named("checkpoint-store")
                    .up()
                    .withData("bucket", store.bucket())
                    .withData("bucketExists", exists)
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
