package org.cinelab.data.split;

import org.cinelab.data.RatingTable;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TopUsersItemsTest {
    @Test
    void the_top_2_users_by_3_items_keep_only_their_ratings_renumbered_densely() {
        int[] users = {0, 0, 0, 1, 2, 2, 2, 2, 3, 3};
        int[] items = {0, 1, 3, 0, 0, 1, 2, 3, 3, 1};
        RatingTable t = new RatingTable(users, items, new float[10], new long[10]);
        TopUsersItems.Filtered f = TopUsersItems.filter(t, 4, 4, 2, 3);
        assertArrayEquals(new int[] {0, 2}, f.oldUser());
        assertArrayEquals(new int[] {0, 1, 3}, f.oldItem());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, f.table().users());
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, f.table().items());
        assertEquals("2", f.params().get("filter.top_users"));
    }

    @Test
    void a_limit_of_zero_keeps_everything() {
        RatingTable t = new RatingTable(new int[] {0, 1}, new int[] {1, 0}, new float[2], new long[2]);
        assertEquals(t, TopUsersItems.filter(t, 2, 2, 0, 0).table());
    }
}
