package org.cinelab.data.split;

import org.cinelab.data.SplitId;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SplitIdTest {
    @Test
    void the_id_depends_on_data_and_params_but_not_on_their_order() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("split", "random");
        a.put("split.seed", "1");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("split.seed", "1");
        b.put("split", "random");
        assertEquals(SplitId.of("abc", a), SplitId.of("abc", b));
        assertNotEquals(SplitId.of("abc", a), SplitId.of("abd", a));
        assertNotEquals(SplitId.of("abc", a), SplitId.of("abc", Map.of("split", "random", "split.seed", "2")));
        assertEquals(64, SplitId.of("abc", a).length());
    }

    @Test
    void the_splitter_records_filter_and_split_params_and_hashes_them() {
        int n = 200;
        int[] u = new int[n], it = new int[n];
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            u[i] = i % 10;
            it[i] = i % 7;
            ts[i] = i;
        }
        RatingTable t = new RatingTable(u, it, new float[n], ts);
        RatingSplits s = RatingSplitter.split(t, 10, 7, 1, 5, "sha", "kfold", Map.of("folds", 4, "fold", 2, "top_users", 5), 9,
                Map.of("dataset", "toy"));
        assertEquals(5, s.numUsers());
        assertEquals(100, s.train().size() + s.validation().size() + s.test().size());
        assertEquals(25, s.test().size());
        assertEquals(8, s.validation().size());
        assertEquals("5", s.params().get("filter.top_users"));
        assertEquals("2", s.params().get("split.fold"));
        assertEquals(SplitId.of("sha", s.params()), s.splitId());
    }
}
