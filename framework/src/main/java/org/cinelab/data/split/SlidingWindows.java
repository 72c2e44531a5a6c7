package org.cinelab.data.split;

import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Per-user, time-ordered sliding windows of {@code length} consecutive ratings (the Netflix study:
 * length 10, the label is the last rating). A user with {@code c >= length} ratings has
 * {@code c - length + 1} windows; a user with fewer has none. Windows are numbered user by user, in
 * time order within a user.
 *
 * <p>This is an index, not a list of windows: the ratings re-ordered by user, then time (ties in
 * row order) as primitive columns (row, item, rating, time: 20 bytes per rating) and two
 * {@code int}s per user. A window is its number; its steps are read on demand from consecutive
 * positions of those columns (a few cache lines per window even in shuffled order), so 100M
 * ratings never become a billion objects. Step
 * {@code length - 1} is the label step: a model may use its item and time but must not feed its
 * rating as input.
 *
 * <p>Per step: item, rating, timestamp and the time gap (seconds since the same user's previous
 * rating, 0 for a user's first rating; the gap of step 0 looks back before the window).
 */
public final class SlidingWindows {
    private final RatingTable table;
    private final int length;
    private final int[] order;
    private final int[] items;
    private final float[] ratings;
    private final long[] times;
    private final int[] userStart;
    private final int[] windowsBefore;

    private SlidingWindows(RatingTable table, int length, int[] order, int[] userStart, int[] windowsBefore) {
        this.table = table;
        this.length = length;
        this.order = order;
        this.userStart = userStart;
        this.windowsBefore = windowsBefore;
        int n = order.length;
        items = new int[n];
        ratings = new float[n];
        times = new long[n];
        IntStream.range(0, n).parallel().forEach(p -> {
            int r = order[p];
            items[p] = table.item(r);
            ratings[p] = table.rating(r);
            times[p] = table.timestamp(r);
        });
    }

    /** Indexes the windows of a table whose users are dense ids below {@code numUsers}. */
    public static SlidingWindows build(RatingTable table, int numUsers, int length) {
        if (length < 1) throw new IllegalArgumentException("window length must be >= 1, was " + length);
        int[] users = table.users();
        int[] userStart = new int[numUsers + 1];
        for (int u : users) {
            if (u < 0 || u >= numUsers) throw new IllegalArgumentException("user id " + u + " is not below numUsers " + numUsers);
            userStart[u + 1]++;
        }
        for (int u = 0; u < numUsers; u++) userStart[u + 1] += userStart[u];
        int[] order = new int[users.length];
        int[] fill = Arrays.copyOf(userStart, numUsers);
        for (int r = 0; r < users.length; r++) order[fill[users[r]]++] = r;
        long[] ts = table.timestamps();
        ThreadLocal<int[]> scratch = ThreadLocal.withInitial(() -> new int[0]);
        IntStream.range(0, numUsers).parallel().forEach(u -> {
            int from = userStart[u], to = userStart[u + 1];
            int[] tmp = scratch.get();
            if (tmp.length < to - from) {
                tmp = new int[to - from];
                scratch.set(tmp);
            }
            sortByTime(order, from, to, tmp, ts);
        });
        int[] windowsBefore = new int[numUsers + 1];
        for (int u = 0; u < numUsers; u++) {
            windowsBefore[u + 1] = windowsBefore[u] + Math.max(0, userStart[u + 1] - userStart[u] - length + 1);
        }
        return new SlidingWindows(table, length, order, userStart, windowsBefore);
    }

    /**
     * Windows over the concatenation of a split's train, validation and test tables, each window in
     * the part its label rating is in. With a time split no window of an earlier part contains a
     * later rating; with other splits a training window may hold a test rating as input.
     */
    public static Parts fromSplits(RatingSplits splits, int length) {
        RatingTable all = concat(splits.train(), splits.validation(), splits.test());
        int trainEnd = splits.train().size();
        int validationEnd = trainEnd + splits.validation().size();
        SlidingWindows w = build(all, splits.numUsers(), length);
        return w.partition(row -> row < trainEnd ? 0 : row < validationEnd ? 1 : 2);
    }

    public RatingTable table() { return table; }

    public int length() { return length; }

    /** Number of windows. */
    public int size() { return windowsBefore[windowsBefore.length - 1]; }

    public int numUsers() { return userStart.length - 1; }

    /** Ratings of a user, i.e. the length of its time-ordered history. */
    public int historyLength(int user) { return userStart[user + 1] - userStart[user]; }

    /** Windows of a user: numbers {@code firstWindow(user)} to {@code firstWindow(user + 1) - 1}. */
    public int firstWindow(int user) { return windowsBefore[user]; }

    public int user(int window) {
        checkWindow(window);
        int lo = 0, hi = numUsers() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (windowsBefore[mid] <= window) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** Row in the table of a window's step ({@code 0 .. length-1}, oldest first). */
    public int row(int window, int step) { return order[position(window, step)]; }

    public int item(int window, int step) { return items[position(window, step)]; }

    public float rating(int window, int step) { return ratings[position(window, step)]; }

    public long timestamp(int window, int step) { return times[position(window, step)]; }

    /** Seconds since the same user's previous rating; 0 for the user's first rating. */
    public long timeGap(int window, int step) {
        int u = user(window);
        return gapAt(position(window, step), userStart[u]);
    }

    /** The label: the rating of the last step. */
    public float label(int window) { return rating(window, length - 1); }

    /** When the label rating was made; it decides a window's part in a time split. */
    public long labelTime(int window) { return timestamp(window, length - 1); }

    public int labelRow(int window) { return row(window, length - 1); }

    /** Copies a window's steps (oldest first) into arrays of at least {@code length}; any may be null. */
    public void fill(int window, int[] items, float[] ratings, long[] timeGaps) {
        int u = user(window);
        int first = userStart[u] + (window - windowsBefore[u]);
        if (items != null) System.arraycopy(this.items, first, items, 0, length);
        if (ratings != null) System.arraycopy(this.ratings, first, ratings, 0, length);
        if (timeGaps != null) for (int s = 0; s < length; s++) timeGaps[s] = gapAt(first + s, userStart[u]);
    }

    /** Every window, in number order. */
    public Part all() {
        return new Part(new int[] {0}, new int[] {0, size()});
    }

    /**
     * Windows by the time of their label: before {@code cuts.validationStart()} train, then
     * validation, from {@code cuts.testStart()} test. Every step of a window is at or before its
     * label, so a training window holds no rating from the validation or test period.
     */
    public Parts byTime(TimeSplit.Cuts cuts) {
        return split(p -> cuts.partOf(times[p]));
    }

    /** {@link #byTime(TimeSplit.Cuts)} with cuts at the quantiles of all the table's timestamps. */
    public Parts byTime(double validationRatio, double testRatio) {
        return byTime(TimeSplit.cuts(table.timestamps(), validationRatio, testRatio));
    }

    /** Windows by the part (0 train, 1 validation, 2 test) of their label row. */
    public Parts partition(IntUnaryOperator partOfLabelRow) {
        return split(p -> partOfLabelRow.applyAsInt(order[p]));
    }

    /** Windows by the part of the position (in user-time order) of their label. */
    private Parts split(IntUnaryOperator partOfLabelPosition) {
        RunBuilder[] runs = {new RunBuilder(), new RunBuilder(), new RunBuilder()};
        int total = size();
        int previousPart = -1;
        int user = 0;
        for (int w = 0; w < total; w++) {
            while (windowsBefore[user + 1] <= w) user++;
            int p = partOfLabelPosition.applyAsInt(userStart[user] + length - 1 + (w - windowsBefore[user]));
            if (p < 0 || p > 2) throw new IllegalArgumentException("part " + p + " is not 0 (train), 1 (validation) or 2 (test)");
            runs[p].add(w, p == previousPart);
            previousPart = p;
        }
        return new Parts(this, runs[0].build(), runs[1].build(), runs[2].build());
    }

    private int position(int window, int step) {
        if (step < 0 || step >= length) throw new IndexOutOfBoundsException("step " + step + " of a window of " + length);
        int u = user(window);
        return userStart[u] + (window - windowsBefore[u]) + step;
    }

    private long gapAt(int position, int firstOfUser) {
        return position == firstOfUser ? 0 : times[position] - times[position - 1];
    }

    private void checkWindow(int window) {
        if (window < 0 || window >= size()) throw new IndexOutOfBoundsException("window " + window + " of " + size());
    }

    /** Stable merge sort of rows by timestamp (rows start ascending, so ties keep row order). */
    private static void sortByTime(int[] a, int from, int to, int[] tmp, long[] ts) {
        if (to - from < 2) return;
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int x = a[i];
                int j = i - 1;
                while (j >= from && ts[a[j]] > ts[x]) a[j + 1] = a[j--];
                a[j + 1] = x;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        sortByTime(a, from, mid, tmp, ts);
        sortByTime(a, mid, to, tmp, ts);
        if (ts[a[mid - 1]] <= ts[a[mid]]) return;
        int base = from;
        System.arraycopy(a, from, tmp, 0, to - from);
        int i = 0, j = mid - base, end = to - base, k = from;
        int leftEnd = mid - base;
        while (i < leftEnd && j < end) a[k++] = ts[tmp[j]] < ts[tmp[i]] ? tmp[j++] : tmp[i++];
        while (i < leftEnd) a[k++] = tmp[i++];
        while (j < end) a[k++] = tmp[j++];
    }

    private static RatingTable concat(RatingTable... tables) {
        int n = 0;
        for (RatingTable t : tables) n += t.size();
        int[] u = new int[n], it = new int[n];
        float[] r = new float[n];
        long[] ts = new long[n];
        int at = 0;
        for (RatingTable t : tables) {
            System.arraycopy(t.users(), 0, u, at, t.size());
            System.arraycopy(t.items(), 0, it, at, t.size());
            System.arraycopy(t.ratings(), 0, r, at, t.size());
            System.arraycopy(t.timestamps(), 0, ts, at, t.size());
            at += t.size();
        }
        return new RatingTable(u, it, r, ts);
    }

    /** The windows of train, validation and test; {@link #params()} describes them for a run. */
    public record Parts(SlidingWindows windows, Part train, Part validation, Part test) {
        public Map<String, String> params() {
            return Map.of("windows.length", Integer.toString(windows.length()), "windows.train", Integer.toString(train.size()),
                    "windows.validation", Integer.toString(validation.size()), "windows.test", Integer.toString(test.size()));
        }
    }

    /**
     * A set of window numbers, stored as runs of consecutive numbers (a time split gives at most
     * three runs per user), in ascending order.
     */
    public static final class Part {
        private final int[] runStart;
        private final int[] before;

        private Part(int[] runStart, int[] before) {
            this.runStart = runStart;
            this.before = before;
        }

        public int size() { return before[before.length - 1]; }

        /** The {@code i}-th window number of this part, ascending. */
        public int window(int i) {
            if (i < 0 || i >= size()) throw new IndexOutOfBoundsException("window " + i + " of a part of " + size());
            int lo = 0, hi = runStart.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (before[mid] <= i) lo = mid;
                else hi = mid - 1;
            }
            return runStart[lo] + (i - before[lo]);
        }

        /** All window numbers, ascending. */
        public int[] windows() {
            int[] out = new int[size()];
            for (int run = 0; run < runStart.length; run++) {
                for (int k = before[run]; k < before[run + 1]; k++) out[k] = runStart[run] + (k - before[run]);
            }
            return out;
        }

        /** The window numbers in a seeded random order: the same seed gives the same order. */
        public int[] shuffled(long seed) {
            int[] w = windows();
            SeededShuffle.shuffle(w, seed);
            return w;
        }

        /** Minibatches of window numbers in {@link #shuffled} order; the last batch may be smaller. */
        public Iterator<int[]> batches(int batchSize, long seed) {
            if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
            int[] all = shuffled(seed);
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() { return next < all.length; }

                @Override
                public int[] next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    int[] b = Arrays.copyOfRange(all, next, Math.min(all.length, next + batchSize));
                    next += b.length;
                    return b;
                }
            };
        }
    }

    private static final class RunBuilder {
        private int[] starts = new int[16];
        private int[] lengths = new int[16];
        private int runs;

        void add(int window, boolean continuesRun) {
            if (continuesRun && runs > 0 && starts[runs - 1] + lengths[runs - 1] == window) {
                lengths[runs - 1]++;
                return;
            }
            if (runs == starts.length) {
                starts = Arrays.copyOf(starts, runs * 2);
                lengths = Arrays.copyOf(lengths, runs * 2);
            }
            starts[runs] = window;
            lengths[runs++] = 1;
        }

        Part build() {
            int[] before = new int[runs + 1];
            for (int i = 0; i < runs; i++) before[i + 1] = before[i] + lengths[i];
            return new Part(runs == 0 ? new int[] {0} : Arrays.copyOf(starts, runs), runs == 0 ? new int[] {0, 0} : before);
        }
    }
}
