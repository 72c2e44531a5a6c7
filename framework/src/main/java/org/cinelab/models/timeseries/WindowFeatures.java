package org.cinelab.models.timeseries;

import org.cinelab.data.split.SlidingWindows;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-step inputs of a window, standardised with statistics of the training windows (the
 * study's normalisation layer after the input): per step the movie's cluster as a one-hot (when
 * clusters are used), the rating, log(1 + days since the user's previous rating), and a flag that
 * says whether the step's rating is known. The last step is the one to predict: its movie and
 * time gap are inputs, its rating never is (rating 0, flag 0).
 */
final class WindowFeatures {
    static final int CONTINUOUS = 3;

    private final SlidingWindows windows;
    private final MovieClusters clusters;
    private final float ratingMean;
    private final float ratingStd;
    private final float gapMean;
    private final float gapStd;
    /** {@link #timeMajor}'s per-window scratch, kept between minibatches (a trial's one training thread calls it). */
    private float[] block, ratings;
    private int[] items;
    private long[] gaps;

    private WindowFeatures(SlidingWindows windows, MovieClusters clusters, float ratingMean, float ratingStd, float gapMean, float gapStd) {
        this.windows = windows;
        this.clusters = clusters;
        this.ratingMean = ratingMean;
        this.ratingStd = ratingStd;
        this.gapMean = gapMean;
        this.gapStd = gapStd;
    }

    /** Fits the normalisation on (at most 100,000 evenly spaced) training windows' input steps. */
    static WindowFeatures fit(SlidingWindows.Parts parts, MovieClusters clusters) {
        return fit(parts.windows(), evenlySpaced(parts.train(), 100_000), clusters);
    }

    static WindowFeatures fit(SlidingWindows windows, int[] trainWindows, MovieClusters clusters) {
        int len = windows.length();
        float[] r = new float[len];
        long[] g = new long[len];
        double rs = 0, rss = 0, gs = 0, gss = 0;
        long n = 0;
        for (int w : trainWindows) {
            windows.fill(w, null, r, g);
            for (int s = 0; s < len - 1; s++) {
                double gap = logDays(g[s]);
                rs += r[s];
                rss += (double) r[s] * r[s];
                gs += gap;
                gss += gap * gap;
                n++;
            }
        }
        if (n == 0) return new WindowFeatures(windows, clusters, 0, 1, 0, 1);
        double rm = rs / n, gm = gs / n;
        double rsd = Math.sqrt(Math.max(1e-12, rss / n - rm * rm)), gsd = Math.sqrt(Math.max(1e-12, gss / n - gm * gm));
        return new WindowFeatures(windows, clusters, (float) rm, (float) Math.max(rsd, 1e-3), (float) gm, (float) Math.max(gsd, 1e-3));
    }

    private static int[] evenlySpaced(SlidingWindows.Part part, int max) {
        int n = Math.min(max, part.size());
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = part.window((int) ((long) i * part.size() / n));
        return out;
    }

    private static double logDays(long seconds) { return Math.log1p(Math.max(0, seconds) / 86400.0); }

    /** Channels per step. */
    int channels() { return (clusters == null ? 0 : clusters.k()) + CONTINUOUS; }

    /** [batch, channels, length] step features of the given windows. */
    INDArray steps(int[] batch) {
        int len = windows.length(), c = channels();
        float[] out = new float[batch.length * c * len];
        int[] items = new int[len];
        float[] ratings = new float[len];
        long[] gaps = new long[len];
        for (int b = 0; b < batch.length; b++) {
            windows.fill(batch[b], items, ratings, gaps);
            encode(items, ratings, gaps, out, b * c * len);
        }
        return Nd4j.createFromArray(out).reshape(batch.length, c, len);
    }

    /**
     * The same features time-major, for CineLab's sequence trainer, of the {@code b} windows
     * {@code order[from .. from + b)}: step s of window k at row {@code s * b + k} of {@code values}
     * ({@code channels()} floats per row) and, when {@code ids} is not null, its movie id at {@code ids[s * b + k]}.
     */
    void timeMajor(int[] order, int from, int b, float[] values, int[] ids) {
        int len = windows.length(), c = channels();
        if (block == null) {
            block = new float[c * len];
            items = new int[len];
            ratings = new float[len];
            gaps = new long[len];
        }
        for (int k = 0; k < b; k++) {
            windows.fill(order[from + k], items, ratings, gaps);
            java.util.Arrays.fill(block, 0f);
            encode(items, ratings, gaps, block, 0);
            for (int s = 0; s < len; s++) {
                int row = s * b + k;
                for (int j = 0; j < c; j++) values[row * c + j] = block[j * len + s];
                if (ids != null) ids[row] = items[s];
            }
        }
    }

    /** [batch, length] movie ids of the given windows, for an embedding layer. */
    INDArray items(int[] batch) {
        int len = windows.length();
        float[] out = new float[batch.length * len];
        int[] items = new int[len];
        for (int b = 0; b < batch.length; b++) {
            windows.fill(batch[b], items, null, null);
            for (int s = 0; s < len; s++) out[b * len + s] = items[s];
        }
        return Nd4j.createFromArray(out).reshape(batch.length, len);
    }

    /** Writes one window's [channels, length] block at {@code offset}; the last step's rating is not read. */
    void encode(int[] items, float[] ratings, long[] gaps, float[] out, int offset) {
        int len = windows.length();
        int k = clusters == null ? 0 : clusters.k();
        for (int s = 0; s < len; s++) {
            boolean known = s < len - 1;
            if (clusters != null) out[offset + clusters.clusterOf(items[s]) * len + s] = 1f;
            out[offset + k * len + s] = known ? (ratings[s] - ratingMean) / ratingStd : 0f;
            out[offset + (k + 1) * len + s] = (float) ((logDays(gaps[s]) - gapMean) / gapStd);
            out[offset + (k + 2) * len + s] = known ? 1f : 0f;
        }
    }

    SlidingWindows windows() { return windows; }
}
