package org.cinelab.data.split;

import java.util.HashMap;
import java.util.Map;

/**
 * Random splits of n rows by ratio. Counts are exact and documented: the test and validation parts
 * get {@code round(ratio * n)} rows (half up) and train gets the rest, so 80/10/10 of 7,787 rows is
 * 6,229 / 779 / 779 as in the Netflix-titles study.
 */
public final class Holdout {
    private Holdout() {}

    /** Rows of a part of {@code n} with the given ratio, rounded half up. */
    public static int share(int n, double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) throw new IllegalArgumentException("ratio " + ratio + " is not in [0, 1]");
        return (int) Math.floor(ratio * n + 0.5);
    }

    /** Train / test by ratio; the validation part is empty. */
    public static IndexSplit random(int n, double testRatio, long seed) {
        return ratios(n, 1 - testRatio, 0, testRatio, seed);
    }

    /** Train / validation / test in one seeded shuffle; the ratios must sum to 1. */
    public static IndexSplit ratios(int n, double trainRatio, double validationRatio, double testRatio, long seed) {
        if (Math.abs(trainRatio + validationRatio + testRatio - 1) > 1e-9) {
            throw new IllegalArgumentException("split ratios " + trainRatio + " + " + validationRatio + " + " + testRatio + " do not sum to 1");
        }
        int test = share(n, testRatio);
        int validation = share(n, validationRatio);
        if (test + validation > n) throw new IllegalArgumentException("split ratios leave no training rows of " + n);
        int[] p = SeededShuffle.permutation(n, seed);
        Map<String, String> params = new HashMap<>();
        params.put("split", "random");
        params.put("split.train_ratio", Double.toString(trainRatio));
        params.put("split.validation_ratio", Double.toString(validationRatio));
        params.put("split.test_ratio", Double.toString(testRatio));
        params.put("split.seed", Long.toString(seed));
        return new IndexSplit(SeededShuffle.sortedCopy(p, test + validation, n), SeededShuffle.sortedCopy(p, test, test + validation),
                SeededShuffle.sortedCopy(p, 0, test), params);
    }
}
