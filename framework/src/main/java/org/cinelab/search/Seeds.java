package org.cinelab.search;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent 64-bit seeds from an experiment seed and a label (a trial id such as
 * {@code t001}, or {@code sampler}), so a trial's seed depends on its identity and not on the
 * order trials run in.
 *
 * <p>Stable across CineLab versions: recorded results depend on these values, so the function
 * must never change. It is the SplitMix64 finaliser (Steele, Lea and Flood, OOPSLA 2014) applied
 * to the seed, then once per UTF-8 byte of the label after adding the golden-ratio increment and
 * the byte, then once more after mixing in the byte count.
 */
public final class Seeds {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {}

    public static long derive(long seed, String label) {
        byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
        long h = mix64(seed + GOLDEN_GAMMA);
        for (byte b : bytes) {
            h = mix64(h + GOLDEN_GAMMA + (b & 0xFF));
        }
        return mix64(h ^ bytes.length);
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
