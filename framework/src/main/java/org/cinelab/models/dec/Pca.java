package org.cinelab.models.dec;

/** Projection onto the first two principal components (power iteration with deflation on the covariance). */
final class Pca {
    private Pca() {}

    static double[][] project2d(float[][] x) {
        int n = x.length, d = x[0].length;
        double[] mean = new double[d];
        for (float[] row : x) for (int j = 0; j < d; j++) mean[j] += row[j] / (double) n;
        double[][] cov = new double[d][d];
        for (float[] row : x) {
            for (int a = 0; a < d; a++) {
                double da = row[a] - mean[a];
                for (int b = 0; b < d; b++) cov[a][b] += da * (row[b] - mean[b]) / n;
            }
        }
        double[] pc1 = leading(cov);
        double l1 = rayleigh(cov, pc1);
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) cov[a][b] -= l1 * pc1[a] * pc1[b];
        double[] pc2 = d > 1 ? leading(cov) : new double[d];
        double[][] out = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = x[i][j] - mean[j];
                out[i][0] += c * pc1[j];
                out[i][1] += c * pc2[j];
            }
        }
        return out;
    }

    private static double[] leading(double[][] m) {
        int d = m.length;
        double[] v = new double[d];
        for (int j = 0; j < d; j++) v[j] = 1.0 / Math.sqrt(d) + 1e-3 * j;
        for (int it = 0; it < 500; it++) {
            double[] w = new double[d];
            for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) w[a] += m[a][b] * v[b];
            double norm = 0;
            for (double e : w) norm += e * e;
            norm = Math.sqrt(norm);
            if (norm == 0) return v;
            for (int a = 0; a < d; a++) v[a] = w[a] / norm;
        }
        return v;
    }

    private static double rayleigh(double[][] m, double[] v) {
        double s = 0;
        for (int a = 0; a < v.length; a++) for (int b = 0; b < v.length; b++) s += v[a] * m[a][b] * v[b];
        return s;
    }
}
