package org.cinelab.data.split;

import org.cinelab.data.SplitId;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.sets.MovieLens100k;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RatingSplitterTest {
    @Test
    void every_rating_dataset_offers_the_time_split_besides_the_earlier_ones() {
        assertEquals(List.of("random", "kfold", "temporal", "time"), RatingSplitter.SPLITS);
    }

    @Test
    void the_time_split_trains_on_no_rating_later_than_a_test_rating() {
        RatingTable t = SlidingWindowsTest.randomTable(10_000, 100, 11);
        RatingSplits s = RatingSplitter.split(t, 100, 20, 1, 5, "sha", "time", Map.of("test_ratio", 0.2, "validation_ratio", 0.1), 3, Map.of());
        assertTrue(max(s.train().timestamps()) < min(s.validation().timestamps()));
        assertTrue(max(s.validation().timestamps()) < min(s.test().timestamps()));
        assertEquals(10_000, s.train().size() + s.validation().size() + s.test().size());
        assertEquals(2_000, s.test().size(), 200, "ties at the cut move at most one time step's ratings");
        assertEquals("time", s.params().get("split"));
        assertEquals(SplitId.of("sha", s.params()), s.splitId());
    }

    @Test
    void on_movielens_100k_the_time_split_puts_the_latest_fifth_in_test() throws Exception {
        DatasetRequest request = new DatasetRequest("time", Map.of("test_ratio", 0.2, "validation_ratio", 0.1), 1, SharedData.require(), s -> {});
        RatingSplits s = (RatingSplits) new MovieLens100k().load(request);
        assertTrue(max(s.train().timestamps()) <= min(s.test().timestamps()));
        assertTrue(max(s.validation().timestamps()) <= min(s.test().timestamps()));
        assertEquals(100_000, s.train().size() + s.validation().size() + s.test().size());
        assertEquals(20_000, s.test().size(), 10);
    }

    @Test
    void a_top_users_items_filter_reports_what_it_kept_in_params_and_the_log() {
        RatingTable t = SlidingWindowsTest.randomTable(10_000, 100, 12);
        List<String> log = new ArrayList<>();
        RatingSplits s = RatingSplitter.split(t, 100, 20, 1, 5, "sha", "random", Map.of("top_users", 10, "top_items", 5), 3, Map.of(), log::add);
        int kept = s.train().size() + s.validation().size() + s.test().size();
        assertEquals(Integer.toString(kept), s.params().get("filter.kept_ratings"));
        assertEquals("10", s.params().get("filter.kept_users"));
        assertEquals("5", s.params().get("filter.kept_items"));
        assertEquals(String.format(java.util.Locale.ROOT, "%.6f", kept / 50.0), s.params().get("filter.density"));
        assertEquals(1, log.size());
        assertTrue(log.get(0).startsWith("top 10 users x top 5 items: kept " + String.format(java.util.Locale.ROOT, "%,d", kept) + " of 10,000 ratings"), log.get(0));
    }

    @Test
    void without_a_filter_the_params_of_earlier_splits_are_unchanged() {
        RatingTable t = SlidingWindowsTest.randomTable(1_000, 10, 13);
        RatingSplits s = RatingSplitter.split(t, 10, 20, 1, 5, "sha", "random", Map.of(), 3, Map.of());
        assertTrue(s.params().keySet().stream().noneMatch(k -> k.startsWith("filter.")), s.params().toString());
    }

    private static long max(long[] a) { return Arrays.stream(a).max().orElseThrow(); }

    private static long min(long[] a) { return Arrays.stream(a).min().orElseThrow(); }
}
