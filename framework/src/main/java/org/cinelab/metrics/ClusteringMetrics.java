package org.cinelab.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Scores of a clustering as scikit-learn computes them: the silhouette (Euclidean, mean over points,
 * 0 for points alone in their cluster), the k-means inertia, and agreement with reference classes by
 * normalised mutual information (arithmetic mean normalisation, sklearn's default) and the adjusted
 * Rand index. They tell whether clusters are compact and whether they mean anything outside the model.
 */
public final class ClusteringMetrics {
    private ClusteringMetrics() {}

    /** Mean silhouette coefficient over all points; NaN when there are fewer than 2 clusters. */
    public static double silhouette(float[][] x, int[] labels) {
        int n = x.length;
        int k = max(labels) + 1;
        int[] sizes = new int[k];
        for (int l : labels) sizes[l]++;
        int used = 0;
        for (int s : sizes) if (s > 0) used++;
        if (used < 2) return Double.NaN;
        double total = 0;
        double[] sums = new double[k];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(sums, 0);
            for (int j = 0; j < n; j++) {
                if (j != i) sums[labels[j]] += Math.sqrt(squaredDistance(x[i], x[j]));
            }
            int own = labels[i];
            if (sizes[own] <= 1) continue;
            double a = sums[own] / (sizes[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) if (c != own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
            total += (b - a) / Math.max(a, b);
        }
        return total / n;
    }

    /** Sum of squared distances from each point to its cluster's centre. */
    public static double inertia(float[][] x, int[] labels, float[][] centres) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += squaredDistance(x[i], centres[labels[i]]);
        return s;
    }

    /** Normalised mutual information, {@code MI / mean(H(a), H(b))}; 1 when both are one single class. */
    public static double nmi(int[] a, int[] b) {
        Contingency t = new Contingency(a, b);
        double ha = entropy(t.rowSums, t.n), hb = entropy(t.colSums, t.n);
        if (ha == 0 && hb == 0) return 1.0;
        double mi = 0;
        for (Map.Entry<Long, Integer> e : t.cells.entrySet()) {
            int i = (int) (e.getKey() >> 32), j = (int) (long) e.getKey();
            double nij = e.getValue();
            mi += nij / t.n * Math.log(t.n * nij / ((double) t.rowSums[i] * t.colSums[j]));
        }
        double denom = (ha + hb) / 2;
        return denom == 0 ? 0 : Math.max(0, mi) / denom;
    }

    /** Adjusted Rand index (Hubert and Arabie 1985): 1 for identical partitions, about 0 for random ones. */
    public static double adjustedRand(int[] a, int[] b) {
        Contingency t = new Contingency(a, b);
        double sumCells = 0;
        for (int v : t.cells.values()) sumCells += pairs(v);
        double sumRows = 0, sumCols = 0;
        for (int v : t.rowSums) sumRows += pairs(v);
        for (int v : t.colSums) sumCols += pairs(v);
        double expected = sumRows * sumCols / pairs(t.n);
        double maxIndex = (sumRows + sumCols) / 2;
        if (maxIndex == expected) return 1.0;
        return (sumCells - expected) / (maxIndex - expected);
    }

    public static double squaredDistance(float[] u, float[] v) {
        double s = 0;
        for (int d = 0; d < u.length; d++) {
            double diff = u[d] - v[d];
            s += diff * diff;
        }
        return s;
    }

    private static double pairs(double n) { return n * (n - 1) / 2; }

    private static double entropy(int[] counts, int n) {
        double h = 0;
        for (int c : counts) if (c > 0) h -= (double) c / n * Math.log((double) c / n);
        return h;
    }

    private static int max(int[] a) {
        int m = -1;
        for (int v : a) m = Math.max(m, v);
        return m;
    }

    private static final class Contingency {
        final int n;
        final int[] rowSums;
        final int[] colSums;
        final Map<Long, Integer> cells = new HashMap<>();

        Contingency(int[] a, int[] b) {
            if (a.length != b.length) throw new IllegalArgumentException("label arrays differ in length: " + a.length + " vs " + b.length);
            n = a.length;
            rowSums = new int[max(a) + 1];
            colSums = new int[max(b) + 1];
            for (int i = 0; i < n; i++) {
                rowSums[a[i]]++;
                colSums[b[i]]++;
                cells.merge(((long) a[i] << 32) | (b[i] & 0xFFFFFFFFL), 1, Integer::sum);
            }
        }
    }
}
