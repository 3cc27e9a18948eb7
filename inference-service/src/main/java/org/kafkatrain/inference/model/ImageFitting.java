package org.kafkatrain.inference.model;

import org.kafkatrain.contracts.ImageTransform;
import org.kafkatrain.contracts.RawImage;
import org.kafkatrain.contracts.Sample;

/**
 * Brings an image to a model's input as ingest brought its training images there ({@link ImageTransform}:
 * shorter side resized, center crop, channels converted), so a photo of any size can be sent.
 */
public final class ImageFitting {
    private ImageFitting() {}

    public static Sample fit(Sample image, ModelInfo model) {
        if (image.height() == model.height()
                && image.width() == model.width()
                && image.channels() == model.channels()) {
            return image;
        }
        if (model.height() != model.width()) {
            throw new IllegalArgumentException("the model takes " + model.height() + "x" + model.width()
                    + " images; send images of exactly that size");
        }
        RawImage fitted = new ImageTransform(model.height(), model.channels())
                .apply(new RawImage(image.pixels(), image.height(), image.width(), image.channels()));
        return new Sample(
                image.id(), image.label(), fitted.height(), fitted.width(), fitted.channels(), fitted.pixels());
    }
}
