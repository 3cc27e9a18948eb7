package org.kafkatrain.ingest.upload;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Uploads one labeled image: {@code POST /images?dataset=D&label=L[&split=train|val]} with the PNG/JPEG as the body
 * ({@code Content-Type: image/png} or {@code image/jpeg}), or as multipart form fields {@code file}, {@code label},
 * {@code dataset}, {@code split}. The label is a class index or a class name of the dataset's manifest. The image is
 * brought to the dataset's resolution and published; invalid uploads get a 4xx with the reason and publish nothing.
 */
@Path("/images")
public class UploadResource {
    @Inject
    ImageUploads uploads;

    @POST
    @Consumes({"image/png", "image/jpeg"})
    public Response raw(
            byte[] body,
            @QueryParam("dataset") String dataset,
            @QueryParam("label") String label,
            @QueryParam("split") String split,
            @HeaderParam("Content-Type") String contentType) {
        return respond(() -> uploads.publish(dataset, label, split, body, contentType));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response form(
            @RestForm("file") FileUpload file,
            @RestForm("dataset") String dataset,
            @RestForm("label") String label,
            @RestForm("split") String split) {
        if (file == null) {
            return error(Response.Status.BAD_REQUEST, "multipart field 'file' is missing");
        }
        return respond(() ->
                uploads.publish(dataset, label, split, Files.readAllBytes(file.uploadedFile()), file.contentType()));
    }

    private Response respond(Upload upload) {
        try {
            return Response.accepted(upload.run()).build();
        } catch (UploadRejectedException e) {
            return error(e.status(), e.getMessage());
        } catch (IOException e) {
            return error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message))
                .build();
    }

    @FunctionalInterface
    private interface Upload {
        Object run() throws UploadRejectedException, IOException;
    }
}
