package org.kafkatrain.inference.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.kafkatrain.contracts.ImageFiles;
import org.kafkatrain.contracts.InvalidRecordException;
import org.kafkatrain.contracts.Sample;
import org.kafkatrain.contracts.TopClass;
import org.kafkatrain.inference.config.InferenceConfig;
import org.kafkatrain.inference.model.PredictionBatcher;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /predict/{run}} with a PNG or JPEG body: the image's most probable classes,
 * {@code [{"class": "Sneaker", "index": 7, "probability": 0.93}, ...]}. The {@code X-Checkpoint} header names the
 * checkpoint that answered. Any size and channel count is accepted and fitted as ingest fits training images.
 */
@Path("/predict")
public class PredictResource {
    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg");

    @Inject
    PredictionBatcher batcher;

    @Inject
    InferenceConfig config;

    @POST
    @Path("{run}")
    @Consumes(MediaType.WILDCARD)
    public RestResponse<?> predict(
            @PathParam("run") String run,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @QueryParam("top") @DefaultValue("5") int top,
            byte[] body)
            throws IOException, InvalidRecordException {
        String media =
                contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!IMAGE_TYPES.contains(media)) {
            return ApiErrors.error(
                    Response.Status.UNSUPPORTED_MEDIA_TYPE,
                    "send a PNG or JPEG body with content-type image/png or image/jpeg, not '" + contentType + "'");
        }
        if (body == null || body.length == 0) {
            throw new IllegalArgumentException("the request has no image");
        }
        if (top < 1) {
            throw new IllegalArgumentException("top must be at least 1: " + top);
        }
        BufferedImage image = ImageFiles.read(body, config.limits().maxImageSide());
        int channels = ImageFiles.channelsOf(image);
        Sample sample = new Sample(
                "request",
                Sample.NO_LABEL,
                image.getHeight(),
                image.getWidth(),
                channels,
                ImageFiles.toPixels(image, channels));
        PredictionBatcher.Answer answer = batcher.predict(run, List.of(sample));
        return RestResponse.ResponseBuilder.ok(
                        TopClass.of(answer.probabilities(), 0, answer.model().classes(), top))
                .header("X-Checkpoint", answer.model().checkpoint())
                .build();
    }
}
