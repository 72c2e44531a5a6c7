package org.cinelab.data.split;

import org.cinelab.data.RatingTable;

import java.util.Arrays;
import java.util.Map;

/**
 * Per-user temporal holdout: each user's ratings in time order (ties in file order); the last
 * {@code testN} go to test and the {@code validationN} before them to validation. A user with too few
 * ratings to leave one in train keeps all of them in train, so no test user is unseen in training.
 */
public final class TemporalSplit {
    private TemporalSplit() {}

    public static IndexSplit leaveLastN(RatingTable table, int numUsers, int testN, int validationN) {
        if (testN < 1 || validationN < 0) throw new IllegalArgumentException("leave-last needs testN >= 1 and validationN >= 0");
        int[][] byUser = rowsByUserInTimeOrder(table, numUsers);
        int n = table.size();
        int[] train = new int[n], validation = new int[n], test = new int[n];
        int nt = 0, nv = 0, ns = 0;
        for (int[] rows : byUser) {
            int len = rows.length;
            if (len <= testN) {
                for (int r : rows) train[nt++] = r;
                continue;
            }
            int v = Math.min(validationN, len - testN - 1);
            int trainEnd = len - testN - v;
            for (int i = 0; i < trainEnd; i++) train[nt++] = rows[i];
            for (int i = trainEnd; i < len - testN; i++) validation[nv++] = rows[i];
            for (int i = len - testN; i < len; i++) test[ns++] = rows[i];
        }
        return new IndexSplit(sorted(train, nt), sorted(validation, nv), sorted(test, ns), Map.of("split", "temporal",
                "split.leave_last", Integer.toString(testN), "split.validation_last", Integer.toString(validationN)));
    }

    /** Row indices grouped by user (dense id), each group sorted by timestamp, ties by row. */
    static int[][] rowsByUserInTimeOrder(RatingTable table, int numUsers) {
        int[] users = table.users();
        long[] ts = table.timestamps();
        int[] count = new int[numUsers];
        for (int u : users) count[u]++;
        int[][] byUser = new int[numUsers][];
        for (int u = 0; u < numUsers; u++) byUser[u] = new int[count[u]];
        int[] fill = new int[numUsers];
        for (int r = 0; r < users.length; r++) byUser[users[r]][fill[users[r]]++] = r;
        int[] scratch = new int[0];
        for (int[] rows : byUser) {
            if (scratch.length < rows.length) scratch = new int[rows.length];
            mergeSortByTime(rows, scratch, 0, rows.length, ts);
        }
        return byUser;
    }

    /** Stable merge sort of row indices by timestamp; rows start in ascending order, so ties stay in file order. */
    private static void mergeSortByTime(int[] a, int[] tmp, int from, int to, long[] ts) {
        if (to - from < 2) return;
        int mid = (from + to) >>> 1;
        mergeSortByTime(a, tmp, from, mid, ts);
        mergeSortByTime(a, tmp, mid, to, ts);
        if (ts[a[mid - 1]] <= ts[a[mid]]) return;
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from, j = mid, k = from;
        while (i < mid && j < to) a[k++] = ts[tmp[j]] < ts[tmp[i]] ? tmp[j++] : tmp[i++];
        while (i < mid) a[k++] = tmp[i++];
        while (j < to) a[k++] = tmp[j++];
    }

    private static int[] sorted(int[] a, int n) {
        int[] c = Arrays.copyOf(a, n);
        Arrays.sort(c);
        return c;
    }
}
