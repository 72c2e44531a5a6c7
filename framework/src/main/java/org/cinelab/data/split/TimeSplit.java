package org.cinelab.data.split;

import org.cinelab.data.RatingTable;

import java.util.Arrays;
import java.util.Map;

/**
 * A global time cut: every rating before one instant is train, every rating from a later instant
 * on is test, validation lies between, so no future rating leaks into training (unlike a per-user
 * holdout, where one user's test rating can predate another user's training rating). The cut
 * instants are the timestamps at the train and train+validation quantiles; ratings that share a
 * cut timestamp all go to the later part, so {@code max(train) < min(validation)} and
 * {@code max(validation) < min(test)} hold strictly, and the parts' sizes are the ratios only up to
 * those ties (with day-resolution Netflix dates, up to one day's ratings).
 */
public final class TimeSplit {
    private TimeSplit() {}

    /**
     * The first timestamp of validation and of test: rows with {@code t < validationStart} are
     * train, {@code validationStart <= t < testStart} validation, {@code t >= testStart} test.
     */
    public record Cuts(long validationStart, long testStart) {
        public Cuts {
            if (testStart < validationStart) throw new IllegalArgumentException("test starts before validation: " + testStart + " < " + validationStart);
        }

        /** 0 train, 1 validation, 2 test. */
        public int partOf(long timestamp) {
            return timestamp < validationStart ? 0 : timestamp < testStart ? 1 : 2;
        }
    }

    /**
     * Cut times for the given shares of {@code timestamps} (rounded as in {@link Holdout#share}). A
     * part whose share is 0 is empty; an empty table gives cuts at {@link Long#MAX_VALUE}.
     */
    public static Cuts cuts(long[] timestamps, double validationRatio, double testRatio) {
        int n = timestamps.length;
        int test = Holdout.share(n, testRatio);
        int validation = Holdout.share(n, validationRatio);
        if (test + validation > n) throw new IllegalArgumentException("split ratios leave no training rows of " + n);
        long[] sorted = timestamps.clone();
        Arrays.parallelSort(sorted);
        long testStart = test == 0 ? Long.MAX_VALUE : sorted[n - test];
        long validationStart = validation == 0 ? testStart : sorted[n - test - validation];
        return new Cuts(validationStart, testStart);
    }

    public static IndexSplit byQuantiles(RatingTable table, double validationRatio, double testRatio) {
        Cuts c = cuts(table.timestamps(), validationRatio, testRatio);
        return byCuts(table, c).withParams(Map.of(
                "split.validation_ratio", Double.toString(validationRatio),
                "split.test_ratio", Double.toString(testRatio)));
    }

    /** Rows by the part their timestamp falls in, each part in ascending row order. */
    public static IndexSplit byCuts(RatingTable table, Cuts cuts) {
        long[] ts = table.timestamps();
        int[] counts = new int[3];
        for (long t : ts) counts[cuts.partOf(t)]++;
        int[][] parts = {new int[counts[0]], new int[counts[1]], new int[counts[2]]};
        int[] fill = new int[3];
        for (int r = 0; r < ts.length; r++) {
            int p = cuts.partOf(ts[r]);
            parts[p][fill[p]++] = r;
        }
        return new IndexSplit(parts[0], parts[1], parts[2], Map.of("split", "time",
                "split.validation_start", Long.toString(cuts.validationStart()),
                "split.test_start", Long.toString(cuts.testStart())));
    }
}
