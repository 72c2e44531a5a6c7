package org.cinelab.data;

import java.util.Arrays;

/**
 * Maps raw ids (as found in a data file) to dense ids 0..size-1 in order of first appearance, and
 * back. Open addressing over primitive arrays: no boxing, so 480k users of the Netflix data cost a
 * few MB.
 */
public final class IdIndex {
    private long[] keys = new long[64];
    private int[] slots = new int[64];
    private long[] raw = new long[16];
    private int size;

    /** The dense id of {@code rawId}, assigning the next one if it is new. */
    public int add(long rawId) {
        int mask = slots.length - 1;
        for (int h = mix(rawId) & mask; ; h = (h + 1) & mask) {
            int s = slots[h];
            if (s == 0) {
                if (size == raw.length) raw = Arrays.copyOf(raw, size * 2);
                raw[size] = rawId;
                keys[h] = rawId;
                slots[h] = ++size;
                if (size * 2 > slots.length) rehash();
                return size - 1;
            }
            if (keys[h] == rawId) return s - 1;
        }
    }

    /** The dense id of {@code rawId}, or -1 when it was never added. */
    public int denseOf(long rawId) {
        int mask = slots.length - 1;
        for (int h = mix(rawId) & mask; ; h = (h + 1) & mask) {
            int s = slots[h];
            if (s == 0) return -1;
            if (keys[h] == rawId) return s - 1;
        }
    }

    public long rawOf(int denseId) {
        if (denseId < 0 || denseId >= size) throw new IndexOutOfBoundsException("dense id " + denseId + " of " + size);
        return raw[denseId];
    }

    public int size() { return size; }

    /** Raw ids by dense id. */
    public long[] rawIds() { return Arrays.copyOf(raw, size); }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new long[oldKeys.length * 2];
        slots = new int[oldSlots.length * 2];
        int mask = slots.length - 1;
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] == 0) continue;
            int h = mix(oldKeys[i]) & mask;
            while (slots[h] != 0) h = (h + 1) & mask;
            keys[h] = oldKeys[i];
            slots[h] = oldSlots[i];
        }
    }

    private static int mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 32));
    }
}
