package org.cinelab.search;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A mixture of product kernels over one or more hyperparameters, one kernel per observation plus a
 * prior kernel: Optuna's {@code _ParzenEstimator} (v4.9). Numerical dimensions use a normal kernel
 * truncated to the domain, centred on the observation, of bandwidth the distance to its farther
 * neighbour (univariate) or Scott's rule 0.2 n^(-1/(d+4)) times the range (multivariate, as BOHB),
 * clipped to [range / min(100, n + 2), range] (hyperopt's "magic clip"); the prior kernel sits mid-
 * range with the range as bandwidth. Categorical dimensions use the observed choice plus
 * {@code priorWeight / (n + 1)} on every choice. Kernels are weighted by Optuna's default weights
 * (the newest 25 observations 1, older ones ramping down to 1/n) and the prior by {@code priorWeight}.
 * Values are in {@link TpeParam}'s internal representation.
 */
final class ParzenEstimator {
    private static final double SCOTT_MAGNITUDE = 0.2;
    private static final double NEGLIGIBLE = -40;

    private final TpeParam[] params;
    private final int kernels;
    private final double[] cumulativeWeights;
    private final double[] logWeights;
    /** Per dimension, per kernel (numerical dimensions). */
    private final double[][] mu, sigma, logNorm;
    /** Per dimension, per kernel, per choice (categorical dimensions). */
    private final double[][][] probs, logProbs;

    /**
     * @param observations one row per observation in trial order (oldest first), one column per parameter
     * @param multivariate Scott's-rule bandwidths (a joint estimator) instead of neighbour distances
     */
    ParzenEstimator(List<TpeParam> params, double[][] observations, double priorWeight, boolean considerEndpoints,
                    boolean multivariate) {
        this.params = params.toArray(TpeParam[]::new);
        int n = observations.length;
        this.kernels = n + 1;
        double[] w = new double[kernels];
        if (n == 0) {
            w[0] = 1;
        } else {
            System.arraycopy(defaultWeights(n), 0, w, 0, n);
            w[n] = priorWeight;
        }
        double sum = Arrays.stream(w).sum();
        this.logWeights = new double[kernels];
        this.cumulativeWeights = new double[kernels];
        double acc = 0;
        for (int k = 0; k < kernels; k++) {
            w[k] /= sum;
            logWeights[k] = StrictMath.log(w[k]);
            acc += w[k];
            cumulativeWeights[k] = acc;
        }
        int d = this.params.length;
        mu = new double[d][];
        sigma = new double[d][];
        logNorm = new double[d][];
        probs = new double[d][][];
        logProbs = new double[d][][];
        for (int j = 0; j < d; j++) {
            double[] column = new double[n];
            for (int i = 0; i < n; i++) column[i] = observations[i][j];
            if (this.params[j].categorical()) categorical(j, column, priorWeight);
            else numerical(j, column, considerEndpoints, multivariate);
        }
    }

    /** Optuna's default_weights: 1 for the newest 25, a linear ramp from 1/n for the older ones. */
    static double[] defaultWeights(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        if (n < 25) return w;
        int ramp = n - 25;
        double start = 1.0 / n;
        for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? start : start + i * (1.0 - start) / (ramp - 1);
        return w;
    }

    private void categorical(int j, double[] column, double priorWeight) {
        int choices = params[j].choices();
        int n = column.length;
        double[][] p = new double[kernels][choices];
        if (n == 0) {
            Arrays.fill(p[0], 1.0 / choices);
        } else {
            for (double[] row : p) Arrays.fill(row, priorWeight / kernels);
            for (int i = 0; i < n; i++) p[i][(int) column[i]] += 1;
            for (double[] row : p) {
                double s = Arrays.stream(row).sum();
                if (s > 0) for (int c = 0; c < choices; c++) row[c] /= s;
            }
        }
        probs[j] = p;
        logProbs[j] = new double[kernels][choices];
        for (int k = 0; k < kernels; k++) for (int c = 0; c < choices; c++) logProbs[j][k][c] = StrictMath.log(p[k][c]);
    }

    private void numerical(int j, double[] column, boolean considerEndpoints, boolean multivariate) {
        TpeParam p = params[j];
        double low = p.supportLow(), high = p.supportHigh(), range = high - low;
        int n = column.length;
        double[] s = new double[n];
        if (multivariate) {
            Arrays.fill(s, SCOTT_MAGNITUDE * StrictMath.pow(Math.max(n, 1), -1.0 / (params.length + 4)) * range);
        } else if (n > 0) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> Double.compare(column[a], column[b]));
            double[] sorted = new double[n + 2];
            sorted[0] = low;
            for (int i = 0; i < n; i++) sorted[i + 1] = column[order[i]];
            sorted[n + 1] = high;
            double[] sortedSigma = new double[n];
            for (int i = 1; i <= n; i++) sortedSigma[i - 1] = Math.max(sorted[i] - sorted[i - 1], sorted[i + 1] - sorted[i]);
            if (!considerEndpoints && n >= 2) {
                sortedSigma[0] = sorted[2] - sorted[1];
                sortedSigma[n - 1] = sorted[n] - sorted[n - 1];
            }
            for (int i = 0; i < n; i++) s[order[i]] = sortedSigma[i];
        }
        double minSigma = range / Math.min(100.0, 1.0 + kernels);
        mu[j] = new double[kernels];
        sigma[j] = new double[kernels];
        logNorm[j] = new double[kernels];
        for (int i = 0; i < n; i++) {
            mu[j][i] = column[i];
            sigma[j][i] = Math.min(range, Math.max(minSigma, s[i]));
        }
        mu[j][n] = 0.5 * (low + high);
        sigma[j][n] = range;
        for (int k = 0; k < kernels; k++) {
            double mass = TruncatedNormal.logMass((low - mu[j][k]) / sigma[j][k], (high - mu[j][k]) / sigma[j][k]);
            // Continuous densities carry 1/sigma; a discrete value's mass is a ratio of masses.
            logNorm[j][k] = p.kind() == TpeParam.Kind.DISCRETE ? mass : mass + StrictMath.log(sigma[j][k]);
        }
    }

    /** One draw from the mixture: a kernel by weight, then each dimension from that kernel. */
    double[] sample(Random rng) {
        double u = rng.nextDouble();
        int k = 0;
        while (k < kernels - 1 && cumulativeWeights[k] <= u) k++;
        double[] x = new double[params.length];
        for (int j = 0; j < params.length; j++) {
            TpeParam p = params[j];
            if (p.categorical()) {
                double q = rng.nextDouble(), acc = 0;
                double[] row = probs[j][k];
                int c = 0;
                for (; c < row.length - 1; c++) {
                    acc += row[c];
                    if (q < acc) break;
                }
                x[j] = c;
            } else {
                double m = mu[j][k], s = sigma[j][k];
                double z = TruncatedNormal.ppf(rng.nextDouble(), (p.supportLow() - m) / s, (p.supportHigh() - m) / s);
                double v = m + s * z;
                if (p.kind() == TpeParam.Kind.DISCRETE) v = Math.min(p.high(), Math.max(p.low(), p.low() + Math.rint((v - p.low()) / p.step()) * p.step()));
                x[j] = Math.min(p.supportHigh(), Math.max(p.supportLow(), v));
            }
        }
        return x;
    }

    /** Log density (log mass for integer and categorical dimensions) of the mixture at {@code x}. */
    double logPdf(double[] x) {
        double[] terms = new double[kernels];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < kernels; k++) {
            double t = logWeights[k];
            for (int j = 0; j < params.length && t > Double.NEGATIVE_INFINITY; j++) {
                TpeParam p = params[j];
                switch (p.kind()) {
                    case CATEGORICAL -> t += logProbs[j][k][(int) x[j]];
                    case CONTINUOUS -> t += TruncatedNormal.logPdf(x[j], mu[j][k], sigma[j][k], logNorm[j][k]);
                    case DISCRETE -> {
                        double m = mu[j][k], s = sigma[j][k];
                        t += TruncatedNormal.logMass((x[j] - p.step() / 2 - m) / s, (x[j] + p.step() / 2 - m) / s) - logNorm[j][k];
                    }
                }
            }
            terms[k] = t;
            if (t > max) max = t;
        }
        if (max == Double.NEGATIVE_INFINITY) return max;
        double sum = 0;
        // A term below e^-40 of the largest cannot change the sum in double precision: skip its exp.
        for (double t : terms) if (t - max > NEGLIGIBLE) sum += StrictMath.exp(t - max);
        return max + StrictMath.log(sum);
    }
}
