package org.kafkatrain.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.kafkatrain.contracts.DecoderLimits;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code inference.*}: which model to serve, on which device, how many at once, how requests are batched, and what
 * one request or record may hold.
 */
@ConfigMapping(prefix = "inference")
public interface InferenceConfig {
    /**
     * A run to load at start ({@code INFERENCE_RUN}); readiness waits for it. Other runs load on their first request.
     */
    Optional<String> run();

    /**
     * Which checkpoint of a run to serve: {@code latest} (what {@code latest.json} names), {@code best} (best val
     * top-1 so far), or an object name ({@code epoch-0003.tar}) to pin one.
     */
    @WithDefault("latest")
    String checkpoint();

    /**
     * Move to a run's newer checkpoints as {@code training.checkpoints} announces them (latest: any newer step; best:
     * a better val top-1). A pinned checkpoint never moves.
     */
    @WithDefault("true")
    boolean follow();

    /** {@code auto} (CUDA when libtorch sees a GPU, else CPU), {@code cpu}, {@code cuda} or {@code cuda:N}. */
    @WithDefault("auto")
    String device();

    /** libtorch intra-op threads; 0: one per core. */
    @WithDefault("0")
    int threads();

    /** The header of an {@code images.infer} record that names the run to predict with (else {@link #run()}). */
    @WithDefault("run")
    String runHeader();

    /**
     * Most models served at once, each a ResNet-50's weights in native (or GPU) memory: one more, once loaded,
     * unloads the least recently used (never {@link #run()}'s), so memory holds this many plus the one loading.
     */
    @WithDefault("4")
    int maxLoadedModels();

    Batching batching();

    Limits limits();

    /**
     * What one record on {@code images.infer} or one REST request may hold before it is refused: the decoders'
     * limits, which bound a request's images too ({@code max-pixels-per-record} all its images together), and
     * REST's own.
     */
    interface Limits extends DecoderLimits {
        /**
         * Most images in one {@code /v2} inference request; more is refused with 413 before any image is built:
         * every image is time on the one device thread, and memory while it waits.
         */
        @WithDefault("256")
        int maxImagesPerRequest();
    }

    /** Micro-batching: requests and records waiting together go through the model as one batch. */
    interface Batching {
        /**
         * Most images in one forward pass; a request or record with more goes through in passes of this many, taking
         * turns with the others waiting.
         */
        @WithDefault("32")
        int maxImages();

        /** How long a lone request waits for company before it goes alone. */
        @WithDefault("PT0.002S")
        Duration maxWait();
    }
}
