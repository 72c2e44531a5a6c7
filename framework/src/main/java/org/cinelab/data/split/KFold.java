package org.cinelab.data.split;

import java.util.Map;

/**
 * K-fold cross-validation over n rows: one seeded shuffle cut into k folds whose sizes differ by at
 * most one (the first {@code n mod k} folds get the extra row); fold {@code f} (1-based) is the test
 * part and the others are train.
 */
public final class KFold {
    private KFold() {}

    public static IndexSplit split(int n, int k, int fold, long seed) {
        if (k < 2) throw new IllegalArgumentException("k-fold needs at least 2 folds, got " + k);
        if (fold < 1 || fold > k) throw new IllegalArgumentException("fold " + fold + " is not in 1.." + k);
        int[] p = SeededShuffle.permutation(n, seed);
        int base = n / k;
        int extra = n % k;
        int from = 0;
        for (int f = 1; f < fold; f++) from += base + (f <= extra ? 1 : 0);
        int to = from + base + (fold <= extra ? 1 : 0);
        int[] train = new int[n - (to - from)];
        System.arraycopy(p, 0, train, 0, from);
        System.arraycopy(p, to, train, from, n - to);
        java.util.Arrays.sort(train);
        return new IndexSplit(train, new int[0], SeededShuffle.sortedCopy(p, from, to),
                Map.of("split", "kfold", "split.folds", Integer.toString(k), "split.fold", Integer.toString(fold), "split.seed", Long.toString(seed)));
    }
}
