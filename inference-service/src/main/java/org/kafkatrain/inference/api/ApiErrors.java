package org.kafkatrain.inference.api;

import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.inference.model.UnknownModelException;

import java.io.IOException;
import java.util.Map;

/**
 * Errors as the Open Inference Protocol writes them ({@code {"error": "..."}}): an image or request that cannot be
 * read is the client's 400, one beyond the configured bounds 413, an unknown run (or a model not loaded, to a
 * read) 404, a model that cannot be loaded now (S3 away) 503; never a 500 for bad input.
 */
public class ApiErrors {
    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> badImage(InvalidRecordException e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> badRequest(IllegalArgumentException e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> tooLarge(RequestTooLargeException e) {
        return error(Response.Status.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> unknown(UnknownModelException e) {
        return error(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> unavailable(IOException e) {
        LOG.warnf("model unavailable: %s", e.getMessage());
        return error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    static RestResponse<Map<String, String>> error(Response.Status status, String message) {
        return RestResponse.status(status, Map.of("error", message == null ? status.getReasonPhrase() : message));
    }
}
