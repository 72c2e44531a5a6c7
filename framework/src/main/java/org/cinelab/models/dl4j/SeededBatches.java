package org.cinelab.models.dl4j;

import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Per-epoch randomness derived from the trial seed and the epoch number alone, so that a trial
 * resumed from a checkpoint draws exactly what an uninterrupted one would: the example order of
 * the epoch and ND4J's RNG (dropout) are both re-seeded at the start of each epoch.
 */
public final class SeededBatches {
    private SeededBatches() {}

    /** A well-mixed 64-bit value from a seed and an epoch (SplitMix64 finaliser). */
    public static long mix(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Seeds ND4J's global RNG for the epoch (used by dropout and other stochastic layers). */
    public static void seedEpoch(long seed, int epoch) {
        Nd4j.getRandom().setSeed(mix(seed, epoch) ^ 0x5DEECE66DL);
    }

    /** The rows of {@code rows} in the epoch's order: shuffled by {@code mix(seed, epoch)}, or unchanged. */
    public static int[] order(int[] rows, long seed, int epoch, boolean shuffle) {
        return new EpochOrder().of(rows, seed, epoch, shuffle);
    }

    /** 0..n-1 in the epoch's order (one array per epoch: the identity is shuffled in place). */
    public static int[] order(int n, long seed, int epoch, boolean shuffle) {
        return new EpochOrder().of(n, seed, epoch, shuffle);
    }

    /** Fisher-Yates with the epoch's generator, in place. */
    static void shuffle(int[] a, long seed, int epoch) {
        SplittableRandom rng = new SplittableRandom(mix(seed, epoch));
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
    }

    /** Rows {@code [from, to)} of {@code order} as a new array. */
    public static int[] slice(int[] order, int from, int to) {
        int[] b = new int[to - from];
        System.arraycopy(order, from, b, 0, b.length);
        return b;
    }
}
