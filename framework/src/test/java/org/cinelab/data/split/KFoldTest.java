package org.cinelab.data.split;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class KFoldTest {
    @Test
    void five_folds_of_103_rows_partition_them_into_parts_of_21_21_21_20_20() {
        int[] seen = new int[103];
        int[] sizes = new int[5];
        for (int f = 1; f <= 5; f++) {
            IndexSplit s = KFold.split(103, 5, f, 11);
            sizes[f - 1] = s.test().length;
            assertEquals(103, s.train().length + s.test().length);
            for (int r : s.test()) seen[r]++;
            for (int r : s.test()) assertTrue(Arrays.binarySearch(s.train(), r) < 0);
        }
        assertArrayEquals(new int[] {21, 21, 21, 20, 20}, sizes);
        for (int c : seen) assertEquals(1, c);
    }

    @Test
    void a_fold_outside_1_to_k_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> KFold.split(10, 5, 6, 1));
        assertThrows(IllegalArgumentException.class, () -> KFold.split(10, 1, 1, 1));
    }
}
