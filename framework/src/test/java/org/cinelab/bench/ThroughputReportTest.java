package org.cinelab.bench;

import org.cinelab.models.layers.ProductClock;
import org.cinelab.models.layers.UpdateClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The bench line that flags a model whose steps allocate (as two-tower's did when C2 boxed its softmax vectors). */
class ThroughputReportTest {
    private static final UpdateClock.Reading NO_UPDATES = new UpdateClock.Reading(0, 0, 0, 0);

    private static TrainingMeter.Figures epochAllocating(long heapBytes) {
        return new TrainingMeter.Figures(3, 0.6, 0.65, 0.67, heapBytes, 0, 1.3, 1.3, new ProductClock.Reading(0, 0), NO_UPDATES);
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
        TrainingMeter.Figures f = new TrainingMeter.Figures(3, 0.5, 0.5, 0.5, 0, 0, 1, 1, new ProductClock.Reading(0.9, 150e9), NO_UPDATES);
        assertEquals("products 60% of the time, at 166.67 GFLOP/s = 0.83 of peak; the rest 2,000 us per step",
                ThroughputReport.products(f, 100, 5e8, 200, bytes -> fail("no optimiser was metered")));
        assertEquals("products: not metered (this model's training loop is DL4J's)",
                ThroughputReport.products(epochAllocating(0), 100, 5e8, 200, bytes -> fail("not metered")));
    }

    @Test
    void theOptimiserIsSetBesideWhatTheMachineStreamsAtItsOwnWorkingSet() {
        // as above, and 0.3 s of optimiser passes in 300 steps, each over 2 MB, 6 GB moved in all
        TrainingMeter.Figures f = new TrainingMeter.Figures(3, 0.5, 0.5, 0.5, 0, 0, 1, 1, new ProductClock.Reading(0.9, 150e9),
                new UpdateClock.Reading(0.3, 6e9, 300 * 2_000_000L, 300));
        long[] asked = {-1};
        String line = ThroughputReport.products(f, 100, 0, 200, bytes -> {
            asked[0] = bytes;
            return 25.0;
        });
        assertEquals(2_000_000L, asked[0], "the stream rate is measured at one step's working set");
        assertEquals("products 60% of the time, at 166.67 GFLOP/s = 0.83 of peak; optimiser 20% (1,000 us per step over 2,000 kB"
                + " at 20.0 GB/s = 0.80 of the 25.0 GB/s this machine streams at that size); the rest 1,000 us per step", line);
    }

    @Test
    void theLineSaysWhatAStepCouldReachWithProductsAtThePeakAndTheOptimiserAtTheStreamingRate() {
        // a step of 5e8 flops: 2.5 ms at 200 GFLOP/s; its optimiser moves 20 MB: 0.8 ms at 25 GB/s; 2.5 / 3.3
        TrainingMeter.Figures f = new TrainingMeter.Figures(3, 0.5, 0.5, 0.5, 0, 0, 1, 1, new ProductClock.Reading(0.9, 150e9),
                new UpdateClock.Reading(0.3, 6e9, 300 * 2_000_000L, 300));
        String line = ThroughputReport.products(f, 100, 5e8, 200, bytes -> 25.0);
        assertTrue(line.contains("that size); products at the peak and the optimiser at that rate would make a step 0.76 of peak; the rest"), line);
        // a batch-1 step: 4e6 flops (20 us at the peak) for 20 MB of optimiser traffic (800 us): the batch bounds it, not the code
        assertTrue(ThroughputReport.products(f, 100, 4e6, 200, bytes -> 25.0).contains("would make a step 0.02 of peak"));
    }
}
