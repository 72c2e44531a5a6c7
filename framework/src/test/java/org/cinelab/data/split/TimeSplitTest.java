package org.cinelab.data.split;

import org.cinelab.data.RatingTable;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TimeSplitTest {
    private static RatingTable at(long... timestamps) {
        int n = timestamps.length;
        return new RatingTable(new int[n], new int[n], new float[n], timestamps);
    }

    @Test
    void the_latest_20_percent_are_test_and_the_20_percent_before_them_validation() {
        RatingTable t = at(5, 1, 3, 3, 9, 7, 2, 8, 4, 6);
        IndexSplit s = TimeSplit.byQuantiles(t, 0.2, 0.2);
        assertArrayEquals(new int[] {0, 1, 2, 3, 6, 8}, s.train());
        assertArrayEquals(new int[] {5, 9}, s.validation());
        assertArrayEquals(new int[] {4, 7}, s.test());
        assertEquals("time", s.params().get("split"));
        assertEquals("6", s.params().get("split.validation_start"));
        assertEquals("8", s.params().get("split.test_start"));
    }

    @Test
    void ratings_sharing_a_cut_time_all_go_to_the_later_part() {
        RatingTable t = at(1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
        IndexSplit s = TimeSplit.byQuantiles(t, 0.2, 0.3);
        assertArrayEquals(new int[] {0, 1}, s.train());
        assertArrayEquals(new int[] {2, 3, 4, 5}, s.validation());
        assertArrayEquals(new int[] {6, 7, 8, 9}, s.test());
    }

    @Test
    void a_zero_validation_ratio_leaves_validation_empty() {
        IndexSplit s = TimeSplit.byQuantiles(at(4, 3, 2, 1), 0, 0.25);
        assertEquals(0, s.validation().length);
        assertArrayEquals(new int[] {0}, s.test());
    }

    @Test
    void cuts_say_which_part_a_time_belongs_to() {
        TimeSplit.Cuts c = new TimeSplit.Cuts(10, 20);
        assertEquals(0, c.partOf(9));
        assertEquals(1, c.partOf(10));
        assertEquals(1, c.partOf(19));
        assertEquals(2, c.partOf(20));
        assertThrows(IllegalArgumentException.class, () -> new TimeSplit.Cuts(20, 10));
    }
}
