package org.cinelab.data.split;

import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SlidingWindowsTest {
    /**
     * User 0 rates at times 50, 10, 30, 20, 60 (rows 0, 2, 3, 4, 6): in time order rows 2, 4, 3, 0, 6.
     * User 1 rates at 5, 7, 40 (rows 1, 5, 8). User 2 rates once (row 7).
     */
    private final RatingTable table = new RatingTable(
            new int[] {0, 1, 0, 0, 0, 1, 0, 2, 1},
            new int[] {10, 11, 12, 13, 14, 15, 16, 17, 18},
            new float[] {1, 2, 3, 4, 5, 3, 2, 4, 5},
            new long[] {50, 5, 10, 30, 20, 7, 60, 1, 40});

    @Test
    void a_user_with_c_ratings_has_c_minus_w_plus_1_windows_in_time_order() {
        SlidingWindows w = SlidingWindows.build(table, 3, 3);
        assertEquals(4, w.size());
        assertEquals(List.of(0, 0, 0, 1), List.of(w.user(0), w.user(1), w.user(2), w.user(3)));
        assertWindow(w, 0, new int[] {12, 14, 13}, new float[] {3, 5, 4}, new long[] {0, 10, 10});
        assertWindow(w, 1, new int[] {14, 13, 10}, new float[] {5, 4, 1}, new long[] {10, 10, 20});
        assertWindow(w, 2, new int[] {13, 10, 16}, new float[] {4, 1, 2}, new long[] {10, 20, 10});
        assertWindow(w, 3, new int[] {11, 15, 18}, new float[] {2, 3, 5}, new long[] {0, 2, 33});
        assertEquals(4f, w.label(0));
        assertEquals(50, w.labelTime(1));
        assertEquals(6, w.labelRow(2));
        assertEquals(0, w.firstWindow(0));
        assertEquals(3, w.firstWindow(1));
        assertEquals(4, w.firstWindow(2));
    }

    private static void assertWindow(SlidingWindows w, int window, int[] items, float[] ratings, long[] gaps) {
        int[] it = new int[3];
        float[] r = new float[3];
        long[] g = new long[3];
        w.fill(window, it, r, g);
        assertArrayEquals(items, it, "items of window " + window);
        assertArrayEquals(ratings, r, "ratings of window " + window);
        assertArrayEquals(gaps, g, "time gaps of window " + window);
        for (int s = 0; s < 3; s++) {
            assertEquals(items[s], w.item(window, s));
            assertEquals(ratings[s], w.rating(window, s));
            assertEquals(gaps[s], w.timeGap(window, s));
        }
    }

    @Test
    void the_gap_of_the_first_step_looks_back_before_the_window() {
        SlidingWindows w = SlidingWindows.build(table, 3, 2);
        assertEquals(4 + 2, w.size());
        assertEquals(10, w.timeGap(1, 0), "window 1 of user 0 starts at its second rating, 10 s after the first");
        assertEquals(0, w.timeGap(0, 0));
    }

    @Test
    void windows_go_to_train_validation_or_test_by_the_time_of_their_label() {
        SlidingWindows w = SlidingWindows.build(table, 3, 3);
        SlidingWindows.Parts p = w.byTime(new TimeSplit.Cuts(40, 60));
        assertArrayEquals(new int[] {0}, p.train().windows());
        assertArrayEquals(new int[] {1, 3}, p.validation().windows());
        assertArrayEquals(new int[] {2}, p.test().windows());
        assertEquals(3, p.validation().window(1));
        assertEquals("2", p.params().get("windows.validation"));
    }

    @Test
    void ties_in_time_keep_row_order() {
        RatingTable t = new RatingTable(new int[] {0, 0, 0}, new int[] {7, 8, 9}, new float[] {1, 2, 3}, new long[] {5, 5, 1});
        SlidingWindows w = SlidingWindows.build(t, 1, 3);
        assertEquals(List.of(9, 7, 8), List.of(w.item(0, 0), w.item(0, 1), w.item(0, 2)));
    }

    @Test
    void seeded_shuffles_are_repeatable_permutations_and_batches_cover_every_window_once() {
        SlidingWindows w = SlidingWindows.build(randomTable(5_000, 50, 1), 50, 10);
        SlidingWindows.Part all = w.all();
        int[] a = all.shuffled(7), b = all.shuffled(7), c = all.shuffled(8);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(all.windows(), sorted);
        List<Integer> seen = new ArrayList<>();
        Iterator<int[]> batches = all.batches(64, 7);
        while (batches.hasNext()) {
            int[] batch = batches.next();
            assertTrue(batch.length == 64 || !batches.hasNext());
            for (int x : batch) seen.add(x);
        }
        assertEquals(Arrays.stream(a).boxed().toList(), seen);
    }

    @Test
    void on_random_data_every_window_is_one_users_consecutive_ratings_and_train_windows_hold_no_later_rating() {
        int users = 40;
        RatingTable t = randomTable(6_000, users, 3);
        SlidingWindows w = SlidingWindows.build(t, users, 10);
        int[] count = new int[users];
        for (int u : t.users()) count[u]++;
        int expected = 0;
        for (int c : count) expected += Math.max(0, c - 9);
        assertEquals(expected, w.size());
        for (int k = 0; k < w.size(); k++) {
            for (int s = 0; s < 10; s++) {
                assertEquals(w.user(k), t.user(w.row(k, s)));
                if (s > 0) {
                    assertTrue(w.timestamp(k, s - 1) <= w.timestamp(k, s));
                    assertEquals(w.timestamp(k, s) - w.timestamp(k, s - 1), w.timeGap(k, s));
                }
            }
        }
        TimeSplit.Cuts cuts = TimeSplit.cuts(t.timestamps(), 0.1, 0.2);
        SlidingWindows.Parts p = w.byTime(cuts);
        assertEquals(w.size(), p.train().size() + p.validation().size() + p.test().size());
        for (int k : p.train().windows()) for (int s = 0; s < 10; s++) assertTrue(w.timestamp(k, s) < cuts.validationStart());
        for (int k : p.validation().windows()) assertTrue(w.labelTime(k) >= cuts.validationStart() && w.labelTime(k) < cuts.testStart());
        for (int k : p.test().windows()) assertTrue(w.labelTime(k) >= cuts.testStart());
    }

    @Test
    void windows_over_a_time_split_put_each_window_in_the_part_of_its_label() {
        int users = 30;
        RatingTable t = randomTable(4_000, users, 5);
        RatingSplits s = RatingSplitter.split(t, users, 20, 1, 5, "sha", "time", Map.of("test_ratio", 0.2, "validation_ratio", 0.1), 1, Map.of());
        SlidingWindows.Parts p = SlidingWindows.fromSplits(s, 10);
        long trainEnd = max(s.train().timestamps());
        for (int k : p.train().windows()) for (int i = 0; i < 10; i++) assertTrue(p.windows().timestamp(k, i) <= trainEnd);
        long testStart = min(s.test().timestamps());
        for (int k : p.test().windows()) assertTrue(p.windows().labelTime(k) >= testStart);
        assertTrue(p.train().size() > 0 && p.validation().size() > 0 && p.test().size() > 0);
    }

    @Test
    void a_part_with_several_runs_finds_its_ith_window() {
        SlidingWindows w = SlidingWindows.build(randomTable(2_000, 10, 9), 10, 3);
        SlidingWindows.Parts p = w.partition(row -> row % 3);
        int[] v = p.validation().windows();
        for (int i = 0; i < v.length; i++) assertEquals(v[i], p.validation().window(i));
        for (int k : v) assertEquals(1, w.labelRow(k) % 3);
        assertEquals(w.size(), p.train().size() + v.length + p.test().size());
    }

    /** Users with power-law activity, items 0..19, times 0..999 with many ties. */
    static RatingTable randomTable(int n, int users, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] u = new int[n], it = new int[n];
        float[] r = new float[n];
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            u[i] = (int) (users * Math.pow(rnd.nextDouble(), 2));
            it[i] = rnd.nextInt(20);
            r[i] = 1 + rnd.nextInt(5);
            ts[i] = rnd.nextInt(1000);
        }
        return new RatingTable(u, it, r, ts);
    }

    private static long max(long[] a) { return Arrays.stream(a).max().orElseThrow(); }

    private static long min(long[] a) { return Arrays.stream(a).min().orElseThrow(); }
}
