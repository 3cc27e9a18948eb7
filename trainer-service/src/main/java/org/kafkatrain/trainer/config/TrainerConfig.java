package org.kafkatrain.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.kafkatrain.contracts.Topics;

/** {@code trainer.*}: what a run takes when its request leaves it out, and the limits every run shares. */
@ConfigMapping(prefix = "trainer")
public interface TrainerConfig {
    @WithDefault(Topics.IMAGES_TRAIN)
    String trainTopic();

    @WithDefault(Topics.IMAGES_VAL)
    String valTopic();

    /** Compacted topic of dataset manifests (class names, image shape). */
    @WithDefault(Topics.DATASETS)
    String datasetsTopic();

    /** {@code auto} (CUDA when libtorch sees a GPU, else CPU), {@code cpu}, {@code cuda} or {@code cuda:N}. */
    @WithDefault("auto")
    String device();

    /** libtorch intra-op threads; 0: one per core. */
    @WithDefault("0")
    int threads();

    Limits limits();

    Consumer consumer();

    /** What the record decoder accepts before it dead-letters a record. */
    interface Limits {
        @WithDefault("1024")
        int maxImageSide();

        @WithDefault("4096")
        int maxImagesPerRecord();

        @WithDefault("2097152")
        int maxRecordBytes();
    }

    interface Consumer {
        @WithDefault("64")
        int maxPollRecords();
    }
}
