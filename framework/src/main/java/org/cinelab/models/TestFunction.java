package org.cinelab.models;

import java.util.Locale;

/**
 * Standard test functions of global optimisation with known minima, on which samplers are compared
 * (Dixon and Szegő 1978; the constants as in Surjanovic and Bingham's Virtual Library of
 * Simulation Experiments, sfu.ca/~ssurjano).
 */
public enum TestFunction {
    /** Branin-Hoo on x1 in [-5, 10], x2 in [0, 15]: three global minima of 5 / (4 pi). */
    BRANIN(2, new double[] {-5, 0}, new double[] {10, 15}, 5 / (4 * Math.PI)) {
        @Override
        public double value(double[] x) {
            double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
            double u = x[1] - b * x[0] * x[0] + c * x[0] - 6;
            return u * u + 10 * (1 - t) * Math.cos(x[0]) + 10;
        }
    },
    /** Hartmann-6 on [0, 1]^6: one global minimum, -3.32237 at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573). */
    HARTMANN6(6, new double[6], new double[] {1, 1, 1, 1, 1, 1}, -3.322368011415515) {
        private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
        private static final double[][] A = {
                {10, 3, 17, 3.5, 1.7, 8},
                {0.05, 10, 17, 0.1, 8, 14},
                {3, 3.5, 1.7, 10, 17, 8},
                {17, 8, 0.05, 10, 0.1, 14}};
        private static final double[][] P = {
                {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
                {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
                {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
                {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

        @Override
        public double value(double[] x) {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double inner = 0;
                for (int j = 0; j < 6; j++) inner += A[i][j] * (x[j] - P[i][j]) * (x[j] - P[i][j]);
                sum += ALPHA[i] * Math.exp(-inner);
            }
            return -sum;
        }
    };

    private final int dimensions;
    private final double[] low, high;
    private final double minimum;

    TestFunction(int dimensions, double[] low, double[] high, double minimum) {
        this.dimensions = dimensions;
        this.low = low;
        this.high = high;
        this.minimum = minimum;
    }

    /** f(x) for the first {@link #dimensions()} coordinates of x. */
    public abstract double value(double[] x);

    public int dimensions() { return dimensions; }

    /** The global minimum. */
    public double minimum() { return minimum; }

    public double low(int i) { return low[i]; }

    public double high(int i) { return high[i]; }

    /** The spec word: {@code branin}, {@code hartmann6}. */
    public String specName() { return name().toLowerCase(Locale.ROOT); }
}
