package org.kafkatrain.trainer.data;

import java.util.Map;

/**
 * The records of one training epoch, partition -> offset.
 *
 * @param end        end offsets (epochs mode), or null in continuous mode, which reads {@code minSamples} from start
 * @param skip       samples of the epoch a resumed run already trained: read again (the shuffle needs them) but not
 *                   trained again
 */
public record EpochSpan(Map<Integer, Long> start, Map<Integer, Long> end, long minSamples, long skip) {}
