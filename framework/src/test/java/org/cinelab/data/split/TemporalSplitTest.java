package org.cinelab.data.split;

import org.cinelab.data.RatingTable;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TemporalSplitTest {
    /** User 0 rates at times 50, 10, 40, 30, 20 (rows 0..4); user 1 rates twice; user 2 once. */
    private final RatingTable table = new RatingTable(
            new int[] {0, 0, 0, 0, 0, 1, 1, 2},
            new int[] {0, 1, 2, 3, 4, 0, 1, 0},
            new float[] {1, 2, 3, 4, 5, 3, 3, 3},
            new long[] {50, 10, 40, 30, 20, 7, 7, 9});

    @Test
    void each_users_last_rating_is_test_and_the_one_before_is_validation() {
        IndexSplit s = TemporalSplit.leaveLastN(table, 3, 1, 1);
        assertArrayEquals(new int[] {0, 6}, s.test());
        assertArrayEquals(new int[] {2}, s.validation());
        assertArrayEquals(new int[] {1, 3, 4, 5, 7}, s.train());
    }

    @Test
    void ties_in_time_keep_file_order_and_users_too_short_to_split_stay_in_train() {
        IndexSplit s = TemporalSplit.leaveLastN(table, 3, 2, 0);
        assertArrayEquals(new int[] {0, 2}, s.test());
        assertEquals(0, s.validation().length);
        assertArrayEquals(new int[] {1, 3, 4, 5, 6, 7}, s.train());
    }

    @Test
    void validation_never_takes_a_users_only_training_rating() {
        IndexSplit s = TemporalSplit.leaveLastN(table, 3, 1, 5);
        assertArrayEquals(new int[] {0, 6}, s.test());
        assertArrayEquals(new int[] {2, 3, 4}, s.validation());
        assertArrayEquals(new int[] {1, 5, 7}, s.train());
        assertEquals("temporal", s.params().get("split"));
    }
}
