package org.kafkatrain.contracts.security;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Map;
import java.util.Optional;

/**
 * Requests that change state (run control on the trainer, uploads on ingest) need the bearer token when one is
 * configured. The filter runs before matching, so a refused request reaches no resource and no body is read.
 */
public class ApiTokenFilter {
    @ConfigProperty(name = ApiToken.PROPERTY)
    Optional<String> token;

    @ServerRequestFilter(preMatching = true)
    public Optional<RestResponse<Map<String, String>>> requireToken(ContainerRequestContext request) {
        if (!ApiToken.guards(request.getMethod())
                || ApiToken.admits(token, request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            return Optional.empty();
        }
        String why = ApiToken.isSet(token)
                ? request.getMethod() + " needs 'Authorization: Bearer <token>' (" + ApiToken.ENV + ")"
                : "this service has no API token configured, so it refuses every " + request.getMethod() + ": set "
                        + ApiToken.ENV + " (the local stack generates one: ./kafka-train stack env)";
        return Optional.of(RestResponse.ResponseBuilder.create(Response.Status.UNAUTHORIZED, Map.of("error", why))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build());
    }
}
