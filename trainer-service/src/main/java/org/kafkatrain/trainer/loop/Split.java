package org.kafkatrain.trainer.loop;

import org.kafkatrain.contracts.TrainingStep;

/** The two passes of an epoch, named as step events name them. */
public enum Split {
    TRAIN(TrainingStep.TRAIN),
    VAL(TrainingStep.VAL);

    private final String eventName;

    Split(String eventName) {
        this.eventName = eventName;
    }

    public String eventName() {
        return eventName;
    }
}
