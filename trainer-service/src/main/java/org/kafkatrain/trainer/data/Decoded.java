package org.kafkatrain.trainer.data;

import org.kafkatrain.contracts.DecodedRecord;
import org.kafkatrain.contracts.InvalidRecordException;

/** What the decode stage made of one record: its samples, or why it is refused (and dead-lettered). */
public sealed interface Decoded permits Decoded.Accepted, Decoded.Rejected {
    /** A record within the contract: its samples, of the run's shape. */
    record Accepted(DecodedRecord content) implements Decoded {}

    /** A record that breaks the contract, with the problem it is dead-lettered for. */
    record Rejected(InvalidRecordException reason) implements Decoded {}
}
