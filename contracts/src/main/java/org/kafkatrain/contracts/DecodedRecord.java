package org.kafkatrain.contracts;

import java.util.List;

/** What one record on an image topic holds, once validated: the dataset it belongs to and its samples. */
public record DecodedRecord(String dataset, List<Sample> samples) {
    public DecodedRecord {
        samples = List.copyOf(samples);
    }
}
