package org.kafkatrain.trainer.store;

import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;
import org.kafkatrain.store.CheckpointStore;

import java.io.IOException;

/**
 * Ready only when S3 answers: a run cannot be resumed or saved without it. Only looks (a probe runs every few
 * seconds); a missing bucket is created by the first run that needs it. Health answers any caller by any host name
 * (probes address pods by IP), so it names no endpoint and no error text: the reason goes to the log.
 */
@Readiness
public class CheckpointStoreHealthCheck implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(CheckpointStoreHealthCheck.class);

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
                    .build();
        } catch (IOException e) {
            LOG.warnf("checkpoint store not ready: %s", e.getMessage());
            return HealthCheckResponse.named("checkpoint-store")
                    .down()
                    .withData("error", "S3 does not answer; the trainer's log says why")
                    .build();
        }
    }
}
