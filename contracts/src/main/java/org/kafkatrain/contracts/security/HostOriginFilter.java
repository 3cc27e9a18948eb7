package org.kafkatrain.contracts.security;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses, before anything else runs, a request whose {@code Host} is not an allowed name (DNS rebinding) and a
 * state-changing request whose {@code Origin} is a page of another host (a cross-site form or no-cors fetch). Health
 * and metrics stay reachable by any name: probes and scrapers address a pod by its IP, and those endpoints change
 * nothing and tell nothing secret.
 */
public class HostOriginFilter {
    @ConfigProperty(name = AllowedHosts.PROPERTY, defaultValue = AllowedHosts.DEFAULT)
    List<String> hosts;

    @ServerRequestFilter(preMatching = true, priority = 10)
    public Optional<RestResponse<Map<String, String>>> checkHostAndOrigin(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().startsWith("/q/")) {
            return Optional.empty();
        }
        AllowedHosts allowed = AllowedHosts.of(hosts);
        // HTTP/2 (and an HTTP/1.1 request upgraded to h2c, as Java's HttpClient sends) names the host in :authority,
        // not Host: the request's URI carries either
        String host = Optional.ofNullable(request.getHeaderString(HttpHeaders.HOST))
                .orElse(request.getUriInfo().getRequestUri().getRawAuthority());
        if (!allowed.admitsHost(host)) {
            return refuse("Host " + host + " is not an allowed name (" + AllowedHosts.PROPERTY + ")");
        }
        String origin = request.getHeaderString("Origin");
        if (ApiToken.guards(request.getMethod()) && !allowed.admitsOrigin(origin)) {
            return refuse(request.getMethod() + " from a page of " + origin
                    + " is refused: only pages of an allowed host (" + AllowedHosts.PROPERTY + ") may change state");
        }
        return Optional.empty();
    }

    private static Optional<RestResponse<Map<String, String>>> refuse(String why) {
        return Optional.of(RestResponse.ResponseBuilder.create(Response.Status.FORBIDDEN, Map.of("error", why))
                .build());
    }
}
