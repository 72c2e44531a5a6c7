package org.cinelab.data.text;

import java.util.List;

/**
 * Keras' {@code pad_sequences}: every sequence to one length, padding and truncating at the front
 * ({@link Side#PRE}, Keras' default) or the back, with a fill value (default 0). Without a length,
 * pads to the longest sequence.
 */
public final class PadSequences {
    /** Where padding or truncation happens. */
    public enum Side { PRE, POST }

    private PadSequences() {}

    /** Pre-padding and pre-truncation with 0, to {@code maxlen}. */
    public static int[][] pad(List<int[]> sequences, int maxlen) {
        return pad(sequences, maxlen, Side.PRE, Side.PRE, 0);
    }

    /** Pre-padding with 0 to the length of the longest sequence. */
    public static int[][] padToLongest(List<int[]> sequences) {
        return pad(sequences, longest(sequences), Side.PRE, Side.PRE, 0);
    }

    public static int longest(List<int[]> sequences) {
        int max = 0;
        for (int[] s : sequences) max = Math.max(max, s.length);
        return max;
    }

    public static int[][] pad(List<int[]> sequences, int maxlen, Side padding, Side truncating, int value) {
        if (maxlen < 0) throw new IllegalArgumentException("maxlen must be >= 0, was " + maxlen);
        int[][] out = new int[sequences.size()][maxlen];
        for (int r = 0; r < out.length; r++) {
            int[] s = sequences.get(r);
            int keep = Math.min(s.length, maxlen);
            int from = truncating == Side.PRE ? s.length - keep : 0;
            int to = padding == Side.PRE ? maxlen - keep : 0;
            if (value != 0) java.util.Arrays.fill(out[r], value);
            System.arraycopy(s, from, out[r], to, keep);
        }
        return out;
    }
}
