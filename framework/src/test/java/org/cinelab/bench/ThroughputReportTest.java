package org.cinelab.bench;

import org.cinelab.models.layers.ProductClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The bench line that flags a model whose steps allocate (as two-tower's did when C2 boxed its softmax vectors). */
class ThroughputReportTest {
    private static TrainingMeter.Figures epochAllocating(long heapBytes) {
        return new TrainingMeter.Figures(3, 0.6, 0.65, 0.67, heapBytes, 0, 1.3, 1.3, new ProductClock.Reading(0, 0));
    }

    @Test
    void aStepThatAllocatesIsFlaggedWithItsBytesPerStep() {
        String w = ThroughputReport.allocationWarning(epochAllocating(882_000_000), 71).orElseThrow();
        assertTrue(w.contains("12 MB of heap per step"), w);
    }

    @Test
    void theEpochsOwnArraysAreNotFlagged() {
        assertTrue(ThroughputReport.allocationWarning(epochAllocating(583_000), 71).isEmpty(), "8 kB per step: the shuffled order");
        assertTrue(ThroughputReport.allocationWarning(epochAllocating(64_000 * 10), 10).isEmpty(), "at the limit");
        assertTrue(ThroughputReport.allocationWarning(epochAllocating(882_000_000), 0).isEmpty(), "a model without a step count");
    }

    @Test
    void theProductsLineSplitsTheEpochIntoProductsAndTheTimeBetweenThem() {
        // 3 epochs of 0.5 s, 0.9 s of which in products of 150 GFLOP in all; 100 steps per epoch
        TrainingMeter.Figures f = new TrainingMeter.Figures(3, 0.5, 0.5, 0.5, 0, 0, 1, 1, new ProductClock.Reading(0.9, 150e9));
        assertEquals("products 60% of the time, at 166.67 GFLOP/s = 0.83 of peak; the rest 2,000 us per step",
                ThroughputReport.products(f, 100, 200));
        assertEquals("products: not metered (this model's training loop is DL4J's)",
                ThroughputReport.products(epochAllocating(0), 100, 200));
    }
}
