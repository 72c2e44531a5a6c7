package org.cinelab.data.split;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

class HoldoutTest {
    @Test
    void eighty_ten_ten_of_7787_rows_is_6229_779_779() {
        IndexSplit s = Holdout.ratios(7_787, 0.8, 0.1, 0.1, 42);
        assertEquals(6_229, s.train().length);
        assertEquals(779, s.validation().length);
        assertEquals(779, s.test().length);
    }

    @Test
    void the_parts_are_disjoint_sorted_and_cover_every_row() {
        IndexSplit s = Holdout.ratios(1_000, 0.7, 0.1, 0.2, 1);
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.validation())), Arrays.stream(s.test())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 1_000).toArray(), all);
        assertTrue(isSorted(s.test()));
    }

    @Test
    void the_same_seed_gives_the_same_split_and_another_seed_a_different_one() {
        assertArrayEquals(Holdout.random(500, 0.2, 7).test(), Holdout.random(500, 0.2, 7).test());
        assertFalse(Arrays.equals(Holdout.random(500, 0.2, 7).test(), Holdout.random(500, 0.2, 8).test()));
    }

    @Test
    void the_split_records_how_it_was_made() {
        IndexSplit s = Holdout.random(100, 0.25, 3);
        assertEquals("random", s.params().get("split"));
        assertEquals("0.25", s.params().get("split.test_ratio"));
        assertEquals("3", s.params().get("split.seed"));
    }

    @Test
    void ratios_that_do_not_sum_to_one_are_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Holdout.ratios(10, 0.8, 0.1, 0.2, 1));
        assertTrue(e.getMessage().contains("do not sum to 1"));
    }

    @Test
    void shares_round_half_up() {
        assertEquals(779, Holdout.share(7_787, 0.1));
        assertEquals(4, Holdout.share(7, 0.5));
        assertEquals(0, Holdout.share(4, 0.1));
    }

    @Test
    void a_validation_carve_takes_only_training_rows() {
        IndexSplit base = Holdout.random(1_000, 0.2, 5);
        IndexSplit carved = ValidationCarve.fromTrain(base, 0.1, 6);
        assertArrayEquals(base.test(), carved.test());
        assertEquals(80, carved.validation().length);
        assertEquals(720, carved.train().length);
        for (int v : carved.validation()) assertTrue(Arrays.binarySearch(base.train(), v) >= 0);
        assertEquals("0.1", carved.params().get("split.validation_carve"));
    }

    static boolean isSorted(int[] a) {
        for (int i = 1; i < a.length; i++) if (a[i - 1] > a[i]) return false;
        return true;
    }
}
