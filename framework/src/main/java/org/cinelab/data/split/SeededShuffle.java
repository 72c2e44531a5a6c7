package org.cinelab.data.split;

import java.util.SplittableRandom;

/** A seeded Fisher-Yates permutation: the same seed gives the same order on every JVM. */
final class SeededShuffle {
    private SeededShuffle() {}

    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        shuffle(p, seed);
        return p;
    }

    static void shuffle(int[] a, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static int[] sortedCopy(int[] a, int from, int to) {
        int[] c = java.util.Arrays.copyOfRange(a, from, to);
        java.util.Arrays.sort(c);
        return c;
    }
}
