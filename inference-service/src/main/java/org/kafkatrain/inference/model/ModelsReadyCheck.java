package org.kafkatrain.inference.model;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the run of {@code inference.run}, when one is set, is loaded; lists the loaded models. */
@Readiness
@ApplicationScoped
public class ModelsReadyCheck implements HealthCheck {
    @Inject
    ModelRegistry registry;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("models").status(registry.ready());
        registry.loaded().forEach(m -> response.withData(m.runId(), m.checkpoint()));
        return response.build();
    }
}
