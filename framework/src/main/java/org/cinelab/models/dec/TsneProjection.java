package org.cinelab.models.dec;

import de.javagl.tsne.Tsne;

/**
 * A seeded 2-D Barnes-Hut t-SNE (van der Maaten 2014) of clustered vectors, for the figure the study drew
 * (S1, seed 001: t-SNE coloured by cluster). It uses {@code de.javagl:bh-tsne}, whose randomness comes from one
 * {@link java.util.Random} seeded here, and whose parallel gradient writes per-point slots, so the same vectors
 * and seed give the same coordinates. Inputs wider than {@link #PCA_DIMS} are first reduced by PCA, as the
 * reference implementation does.
 */
public final class TsneProjection {
    public static final double PERPLEXITY = 30;
    public static final double THETA = 0.5;
    public static final int ITERATIONS = 1000;
    static final int PCA_DIMS = 50;

    private TsneProjection() {}

    /** Points {x, y} for each row; null when there are too few rows for any perplexity (fewer than 4). */
    public static double[][] project(float[][] points, long seed) {
        int n = points.length;
        if (n < 4) return null;
        Tsne tsne = new Tsne();
        tsne.setOutputDims(2);
        tsne.setPerplexity(Math.min(PERPLEXITY, (n - 1) / 3.0 - 1e-6)); // the library needs n - 1 >= 3 * perplexity
        tsne.setTheta(THETA);
        tsne.setMaxIterations(ITERATIONS);
        tsne.setInitialDims(PCA_DIMS);
        tsne.setRandomSeed(seed);
        tsne.setMessageConsumer(null);
        tsne.setProgressConsumer(null);
        return tsne.run(centredAndScaled(points));
    }

    /**
     * Column-centred and divided by the largest absolute value: the library divides by the largest value,
     * which must be positive (embeddings can be all negative).
     */
    static double[][] centredAndScaled(float[][] points) {
        int n = points.length;
        int d = points[0].length;
        double[] mean = new double[d];
        for (float[] row : points) for (int j = 0; j < d; j++) mean[j] += row[j] / (double) n;
        double[][] out = new double[n][d];
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = points[i][j] - mean[j];
                max = Math.max(max, Math.abs(out[i][j]));
            }
        }
        if (max > 0) for (double[] row : out) for (int j = 0; j < d; j++) row[j] /= max;
        return out;
    }
}
