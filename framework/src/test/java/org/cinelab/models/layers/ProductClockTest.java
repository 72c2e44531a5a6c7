package org.cinelab.models.layers;

import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's clock of matrix products: multiply-adds counted on every thread, time on the metered one, nothing once stopped. */
class ProductClockTest {
    private static final int NO = SplitGemm.NO_TRANS;

    @Test
    void itCountsTheProductsWhileRunningAndTimesOnlyTheMeteredThread() throws Exception {
        Nd4j.create(1); // loads OpenBLAS
        FloatPointer a = new FloatPointer(64 * 64), b = new FloatPointer(64 * 64), c = new FloatPointer(64 * 64);
        SplitGemm.gemm(NO, NO, 64, 64, 64, a, 0, 64, b, 0, 64, c, 0, 64); // before start: not counted

        ProductClock.start();
        SplitGemm.gemm(NO, NO, 64, 32, 16, a, 0, 16, b, 0, 32, c, 0, 32);
        SplitGemm.gemmOnThisThread(NO, NO, 1, 64, 64, 1f, a, 0, 64, b, 0, 64, 0f, c, 0, 64); // one row: sgemv
        ProductClock.Reading mine = ProductClock.stop();
        assertEquals(2.0 * (64 * 32 * 16 + 64 * 64), mine.flops());
        assertTrue(mine.seconds() > 0 && mine.seconds() < 1, "the metered thread's time: " + mine.seconds());

        ProductClock.start();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(() -> SplitGemm.gemmOnThisThread(NO, NO, 64, 64, 64, 1f, a, 0, 64, b, 0, 64, 0f, c, 0, 64)).get();
        } finally {
            other.shutdown();
        }
        ProductClock.Reading helper = ProductClock.stop();
        assertEquals(2.0 * 64 * 64 * 64, helper.flops(), "a helper's product counts its multiply-adds");
        assertEquals(0, helper.seconds(), "but not its time: it ran beside the metered thread");

        SplitGemm.gemm(NO, NO, 64, 64, 64, a, 0, 64, b, 0, 64, c, 0, 64);
        ProductClock.start();
        assertEquals(new ProductClock.Reading(0, 0), ProductClock.stop(), "a product while stopped is not carried into the next reading");
    }
}
