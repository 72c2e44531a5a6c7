package org.cinelab.models.dl4j;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** A kept order gives every epoch exactly the order a fresh array would, so a resumed trial still draws what an uninterrupted one did. */
class EpochOrderTest {
    @Test
    void eachEpochIsTheOrderSeededBatchesGivesInOneArrayKeptBetweenEpochs() {
        EpochOrder kept = new EpochOrder();
        int[] first = kept.of(1000, 42, 1, true);
        for (int epoch = 1; epoch <= 5; epoch++) {
            int[] order = kept.of(1000, 42, epoch, true);
            assertSame(first, order, "epoch " + epoch + " refills the same array");
            assertArrayEquals(SeededBatches.order(1000, 42, epoch, true), order, "epoch " + epoch);
        }
        assertFalse(Arrays.equals(SeededBatches.order(1000, 42, 1, true), kept.of(1000, 42, 2, true)), "epochs differ");
        assertArrayEquals(SeededBatches.order(7, 42, 3, false), kept.of(7, 42, 3, false), "unshuffled, another size");
    }

    @Test
    void givenRowsAreOrderedAsSeededBatchesOrdersThemAndLeftUntouched() {
        int[] rows = {10, 11, 12, 20, 21, 30, 31, 32, 33, 40};
        int[] before = rows.clone();
        EpochOrder kept = new EpochOrder();
        for (int epoch = 1; epoch <= 3; epoch++) {
            assertArrayEquals(SeededBatches.order(rows, 9, epoch, true), kept.of(rows, 9, epoch, true), "epoch " + epoch);
        }
        assertArrayEquals(before, rows, "the caller's rows are copied, not shuffled in place");
        assertArrayEquals(rows, kept.of(rows, 9, 4, false));
    }
}
