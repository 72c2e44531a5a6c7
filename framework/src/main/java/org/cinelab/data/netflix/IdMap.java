package org.cinelab.data.netflix;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Dense ids 0..n-1 for a set of positive raw ids, assigned in ascending raw order so that the
 * mapping does not depend on file order or on how the parse was split across threads.
 */
public final class IdMap {
    private final int[] raws;

    private IdMap(int[] sortedDistinctRaws) {
        this.raws = sortedDistinctRaws;
    }

    /** A map over the given raw ids (any order, duplicates allowed). */
    public static IdMap of(int... rawIds) {
        return new IdMap(Arrays.stream(rawIds).sorted().distinct().toArray());
    }

    public int size() { return raws.length; }

    /** The raw id of dense id {@code dense}. */
    public int raw(int dense) { return raws[dense]; }

    /** The dense id of a raw id, or -1 when the raw id never occurred. */
    public int dense(int raw) {
        int i = Arrays.binarySearch(raws, raw);
        return i >= 0 ? i : -1;
    }

    /** All raw ids in dense order (a copy). */
    public int[] raws() { return raws.clone(); }

    /**
     * Replaces every raw id in {@code values} (all in 1..maxRaw) by its dense id, using a bitset and
     * per-word rank table of about maxRaw/5 bytes; ranges are remapped in parallel.
     */
    static IdMap densifyInPlace(int[] values, int maxRaw, ExecutorService pool, int parts)
            throws InterruptedException, ExecutionException {
        int words = (maxRaw >>> 6) + 1;
        List<long[]> partial = new ArrayList<>();
        forRanges(values.length, parts, pool, (from, to) -> {
            long[] bits = new long[words];
            for (int i = from; i < to; i++) bits[values[i] >>> 6] |= 1L << values[i];
            synchronized (partial) {
                partial.add(bits);
            }
        });
        long[] bits = new long[words];
        for (long[] p : partial) for (int w = 0; w < words; w++) bits[w] |= p[w];
        partial.clear();
        int[] rankBefore = new int[words];
        int count = 0;
        for (int w = 0; w < words; w++) {
            rankBefore[w] = count;
            count += Long.bitCount(bits[w]);
        }
        int[] raws = new int[count];
        int k = 0;
        for (int w = 0; w < words; w++) {
            for (long b = bits[w]; b != 0; b &= b - 1) raws[k++] = (w << 6) + Long.numberOfTrailingZeros(b);
        }
        forRanges(values.length, parts, pool, (from, to) -> {
            for (int i = from; i < to; i++) {
                int v = values[i];
                values[i] = rankBefore[v >>> 6] + Long.bitCount(bits[v >>> 6] & ((1L << v) - 1));
            }
        });
        return new IdMap(raws);
    }

    interface RangeTask {
        void run(int from, int to);
    }

    static void forRanges(int n, int parts, ExecutorService pool, RangeTask task)
            throws InterruptedException, ExecutionException {
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            futures.add(pool.submit(() -> task.run(from, to)));
        }
        for (Future<?> f : futures) f.get();
    }
}
