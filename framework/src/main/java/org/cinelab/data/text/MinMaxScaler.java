package org.cinelab.data.text;

/**
 * scikit-learn's {@code MinMaxScaler} with {@code feature_range=(0, 1)}: per column,
 * {@code x * scale + min} with {@code scale = 1 / (max - min)} and {@code min = -dataMin * scale},
 * learnt on the training rows and applied unchanged (no clipping) to others. A constant column
 * (range below 10 machine epsilons) gets scale 1, so it maps to 0 on the training rows, as in
 * scikit-learn. Arithmetic is in double, in scikit-learn's order, so results agree to the bit.
 */
public final class MinMaxScaler {
    private final double[] dataMin;
    private final double[] dataMax;
    private final double[] scale;
    private final double[] min;

    private MinMaxScaler(double[] dataMin, double[] dataMax) {
        this.dataMin = dataMin;
        this.dataMax = dataMax;
        int n = dataMin.length;
        scale = new double[n];
        min = new double[n];
        for (int c = 0; c < n; c++) {
            double range = dataMax[c] - dataMin[c];
            scale[c] = 1.0 / (range < 10 * Math.ulp(1.0) ? 1.0 : range);
            min[c] = 0.0 - dataMin[c] * scale[c];
        }
    }

    public static MinMaxScaler fit(double[][] rows) {
        requireRows(rows.length);
        int n = width(rows.length == 0 ? null : rows[0]);
        double[] lo = filled(n, Double.POSITIVE_INFINITY);
        double[] hi = filled(n, Double.NEGATIVE_INFINITY);
        for (double[] row : rows) {
            checkWidth(row.length, n);
            for (int c = 0; c < n; c++) {
                lo[c] = Math.min(lo[c], row[c]);
                hi[c] = Math.max(hi[c], row[c]);
            }
        }
        return new MinMaxScaler(lo, hi);
    }

    /** Fits on integer rows, e.g. padded word-index sequences. */
    public static MinMaxScaler fit(int[][] rows) {
        requireRows(rows.length);
        int n = rows.length == 0 ? 0 : rows[0].length;
        double[] lo = filled(n, Double.POSITIVE_INFINITY);
        double[] hi = filled(n, Double.NEGATIVE_INFINITY);
        for (int[] row : rows) {
            checkWidth(row.length, n);
            for (int c = 0; c < n; c++) {
                lo[c] = Math.min(lo[c], row[c]);
                hi[c] = Math.max(hi[c], row[c]);
            }
        }
        return new MinMaxScaler(lo, hi);
    }

    public double[][] transform(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            checkWidth(rows[r].length, scale.length);
            out[r] = new double[scale.length];
            for (int c = 0; c < scale.length; c++) out[r][c] = rows[r][c] * scale[c] + min[c];
        }
        return out;
    }

    public double[][] transform(int[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            checkWidth(rows[r].length, scale.length);
            out[r] = new double[scale.length];
            for (int c = 0; c < scale.length; c++) out[r][c] = rows[r][c] * scale[c] + min[c];
        }
        return out;
    }

    /** As {@link #transform(int[][])}, rounded to float for a network's input. */
    public float[][] transformToFloat(int[][] rows) {
        float[][] out = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            checkWidth(rows[r].length, scale.length);
            out[r] = new float[scale.length];
            for (int c = 0; c < scale.length; c++) out[r][c] = (float) (rows[r][c] * scale[c] + min[c]);
        }
        return out;
    }

    public int columns() { return scale.length; }

    /** scikit-learn's {@code data_min_}. */
    public double[] dataMin() { return dataMin.clone(); }

    /** scikit-learn's {@code data_max_}. */
    public double[] dataMax() { return dataMax.clone(); }

    /** scikit-learn's {@code scale_}. */
    public double[] scale() { return scale.clone(); }

    /** scikit-learn's {@code min_}. */
    public double[] min() { return min.clone(); }

    private static void requireRows(int n) {
        if (n == 0) throw new IllegalArgumentException("cannot fit a scaler on zero rows");
    }

    private static int width(double[] first) { return first == null ? 0 : first.length; }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static void checkWidth(int width, int expected) {
        if (width != expected) {
            throw new IllegalArgumentException("row has " + width + " columns, the scaler was fitted on " + expected);
        }
    }
}
