package org.cinelab.models.dec;

import org.cinelab.metrics.ClusteringMetrics;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact silhouette of {@link ClusteringMetrics#silhouette} for wide rows (thousands of TF-IDF
 * columns), where the plain double loop takes minutes: distances come from blocks of the Gram matrix,
 * {@code |x_i - x_j|^2 = |x_i|^2 + |x_j|^2 - 2 x_i.x_j}, computed by BLAS in float. Agrees with the
 * plain loop to float precision.
 */
final class GramSilhouette {
    private static final int BLOCK = 512;

    private GramSilhouette() {}

    static double of(float[][] x, int[] labels) {
        int n = x.length;
        int k = 0;
        for (int l : labels) k = Math.max(k, l + 1);
        int[] sizes = new int[k];
        for (int l : labels) sizes[l]++;
        int used = 0;
        for (int s : sizes) if (s > 0) used++;
        if (used < 2) return Double.NaN;
        INDArray all = Nd4j.createFromArray(x);
        float[] norms = all.mul(all).sum(1).toFloatVector();
        INDArray transposed = all.transpose().dup('c');
        double total = 0;
        double[] sums = new double[k];
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            float[][] dots = all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).mmul(transposed).toFloatMatrix();
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(sums, 0);
                float[] row = dots[i - from];
                for (int j = 0; j < n; j++) {
                    if (j != i) sums[labels[j]] += Math.sqrt(Math.max(0.0, (double) norms[i] + norms[j] - 2.0 * row[j]));
                }
                int own = labels[i];
                if (sizes[own] <= 1) continue;
                double a = sums[own] / (sizes[own] - 1);
                double b = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) if (c != own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
                total += (b - a) / Math.max(a, b);
            }
        }
        return total / n;
    }
}
