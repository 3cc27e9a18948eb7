package org.kafkatrain.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.kafkatrain.contracts.Topics;

/** {@code ingest.*}: the producer, the topics it creates, decoding limits and the upload API, each default written once. */
@ConfigMapping(prefix = "ingest")
public interface IngestConfig {
    Producer producer();

    /** Largest request the producer sends; must agree with the broker's message.max.bytes and the topics' max.message.bytes. */
    @WithDefault("2097152")
    int maxRequestBytes();

    Topic topic();

    /** How long to wait for a broker before failing with its address. */
    @WithDefault("10")
    int connectTimeoutSeconds();

    Limits limits();

    /**
     * Threads that read, decode and resize images ahead of the producer (0: half the cores, at least one). They work
     * on the chunks after the one being sent, so sending never waits for decoding unless the decoders fall behind.
     * Half, by measurement: on 2 cores next to the broker, 224 px images went at 160-169 MB/s with one decoder
     * and 108-125 with two, which took the CPU the producer's sender and the broker need.
     */
    @WithDefault("0")
    int decodeThreads();

    Upload upload();

    /** No loss, no duplicates: idempotent, acks=all; zstd compressed raw pixels 6.4x (224 px) and 1.8x (28 px) against lz4's 3.6x and 1.6x. */
    interface Producer {
        @WithDefault("zstd")
        String compression();

        @WithDefault("10")
        int lingerMs();

        @WithDefault("1048576")
        int batchBytes();
    }

    interface Topic {
        @WithDefault("1")
        short replicationFactor();
    }

    interface Limits {
        @WithDefault("1024")
        int maxImageSide();
    }

    /** Where {@code POST /images} puts accepted images and looks up dataset manifests. */
    interface Upload {
        @WithDefault(Topics.IMAGES_TRAIN)
        String trainTopic();

        @WithDefault(Topics.IMAGES_VAL)
        String valTopic();

        @WithDefault(Topics.DATASETS)
        String datasetsTopic();
    }
}
