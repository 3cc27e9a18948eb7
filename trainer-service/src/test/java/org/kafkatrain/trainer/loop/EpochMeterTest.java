package org.kafkatrain.trainer.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.kafkatrain.engine.BatchResult;

class EpochMeterTest {
    @Test
    void emptyMeterHasNoAccuracyAndZeroLoss() {
        EpochMeter meter = new EpochMeter();
        assertThat(meter.top1()).isNull();
        assertThat(meter.top5()).isNull();
        assertThat(meter.meanLoss()).isZero();
    }

    @Test
    void lossIsSampleWeightedAndAccuracyComesFromSummedHitsNotFromAveragedPercentages() {
        EpochMeter meter = new EpochMeter();
        meter.add(new BatchResult(32, 2.0, 8, 30));
        meter.add(new BatchResult(8, 1.0, 8, 8)); // a short last batch with 100% must not count as much as a full one
        assertThat(meter.samples()).isEqualTo(40);
        assertThat(meter.meanLoss()).isCloseTo((32 * 2.0 + 8 * 1.0) / 40, within(1e-12));
        assertThat(meter.top1()).isCloseTo(100.0 * 16 / 40, within(1e-12));
        assertThat(meter.top5()).isCloseTo(100.0 * 38 / 40, within(1e-12));
    }
}
