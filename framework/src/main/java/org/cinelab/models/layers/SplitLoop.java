package org.cinelab.models.layers;

/**
 * An element-wise pass over {@code [0, n)} split into one range per thread: the caller runs the
 * first and the {@link ComputeLanes} helpers the others. Between a step's split products the
 * element-wise work (bias, activation, its derivative, bias gradients) otherwise runs on the caller
 * alone while the helpers idle: about a tenth of a DEC step on 2 threads.
 *
 * <p>The ranges depend only on the arguments, never on timing: when another trial holds the helpers,
 * the caller runs the same ranges one after another, and when a helper has not started its range by the
 * time the caller finished its own, the caller runs that range too, as its lane. Element-wise passes are
 * split only where each element's result does not depend on the ranges (a column sum over rows is split
 * by columns), so their bits are those of one thread. Nothing is allocated per call: the body is an object the caller
 * keeps, and it is told its lane so it can use that lane's scratch arrays.
 */
public final class SplitLoop {
    /** Below this many elements a pass runs on the caller: a hand-over costs about as much as 10,000 floats of work. */
    public static final int SPLIT_MIN = 1 << 15;

    /** A range of a pass: {@code [from, to)} on lane {@code lane} (0 the caller's). */
    public interface Body {
        void run(int lane, int from, int to);
    }

    private static final Range[] ranges = new Range[64];

    private SplitLoop() {}

    /**
     * Runs {@code body} over {@code [0, n)} on up to {@code threads} lanes, in ranges that are whole
     * multiples of {@code align} (a row's width, a chunk) except the last; in one range when the pass is
     * short.
     */
    public static void run(int threads, int n, int align, Body body) {
        run(threads, n, align, n, body);
    }

    /** {@link #run(int, int, int, Body)} for a pass whose {@code n} units touch {@code work} elements in all (columns of rows). */
    public static void run(int threads, int n, int align, long work, Body body) {
        threads = Math.min(threads, ranges.length);
        long per = (((long) n + threads - 1) / Math.max(1, threads) + align - 1) / align * align; // ceil(n / threads), aligned up
        if (threads < 2 || work < SPLIT_MIN || per >= n) {
            body.run(0, 0, n);
            return;
        }
        if (!ComputeLanes.tryAcquire(threads - 1)) { // held by another trial: the same ranges in turn
            int lane = 0;
            for (long from = 0; from < n; from += per) body.run(lane++, (int) from, (int) Math.min(n, from + per));
            return;
        }
        int helpers = 0;
        try {
            for (long from = per; from < n; from += per, helpers++) {
                Range r = ranges[helpers] != null ? ranges[helpers] : (ranges[helpers] = new Range());
                r.set(body, helpers + 1, (int) from, (int) Math.min(n, from + per));
                ComputeLanes.start(helpers, r);
            }
            body.run(0, 0, (int) per);
            for (int i = 0; i < helpers; i++) if (ComputeLanes.cancel(i)) ranges[i].run(); // not started: ours, same lane
        } finally {
            ComputeLanes.awaitAndRelease(threads - 1);
        }
    }

    /** The number of lanes {@link #run} may use with {@code threads} threads: what a body sizes its scratch for. */
    public static int lanes(int threads) { return Math.max(1, Math.min(threads, ranges.length)); }

    /** One helper's range; only the holder of the lanes uses them, one pass at a time. */
    private static final class Range implements Runnable {
        private Body body;
        private int lane, from, to;

        void set(Body body, int lane, int from, int to) {
            this.body = body;
            this.lane = lane;
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() { body.run(lane, from, to); }
    }
}
