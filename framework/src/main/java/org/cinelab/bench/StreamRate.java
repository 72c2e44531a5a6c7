package org.cinelab.bench;

import org.cinelab.models.layers.SplitLoop;

/**
 * What this machine streams through memory for a working set of a given size: the yardstick for an
 * optimiser pass, which is bound by bandwidth as a product is by the sgemm peak. The probe is the
 * optimiser's own shape of traffic, read-modify-write ({@code a[i] += s * b[i]}: two reads and one
 * write of four bytes per value, no store to a line it did not read), split over the same lanes as
 * the optimiser ({@link SplitLoop}), best of repeated passes. A working set that fits in a cache
 * streams from it, as the optimiser's would.
 */
final class StreamRate {
    private static final double WARM_UP_SECONDS = 0.1, TIMED_SECONDS = 0.2;

    private StreamRate() {}

    /** GB/s of read-modify-write passes over {@code workingSetBytes} (two float arrays of half each), on {@code threads} lanes. */
    static double gigabytesPerSecond(long workingSetBytes, int threads) {
        int n = (int) Math.max(1024, Math.min(Integer.MAX_VALUE - 8, workingSetBytes / 8));
        float[] a = new float[n], b = new float[n];
        java.util.Arrays.fill(b, 1e-7f);
        SplitLoop.Body pass = (lane, from, to) -> {
            for (int i = from; i < to; i++) a[i] += 0.5f * b[i];
        };
        double best = Double.MAX_VALUE, spent = 0;
        int passes = 0;
        while (spent < WARM_UP_SECONDS + TIMED_SECONDS || passes < 5 || best == Double.MAX_VALUE) {
            long t0 = System.nanoTime();
            SplitLoop.run(threads, n, 1024, pass);
            double s = (System.nanoTime() - t0) / 1e9;
            if (spent >= WARM_UP_SECONDS) best = Math.min(best, s);
            spent += s;
            passes++;
        }
        if (a[n / 2] < 0) throw new AssertionError(); // keeps the passes' result alive
        return 12.0 * n / best / 1e9;
    }
}
