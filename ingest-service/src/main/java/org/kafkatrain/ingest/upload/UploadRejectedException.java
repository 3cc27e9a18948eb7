package org.kafkatrain.ingest.upload;

import jakarta.ws.rs.core.Response;

/** An upload that cannot be published, with the HTTP status that says why. */
public class UploadRejectedException extends Exception {
    private final Response.Status status;

    UploadRejectedException(Response.Status status, String message) {
        super(message);
        this.status = status;
    }

    Response.Status status() {
        return status;
    }
}
