package org.cinelab.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** Accumulates RMSE and MAE over predicted vs observed ratings. */
public final class RatingErrors {
    private double squared;
    private double absolute;
    private long count;

    public void add(double predicted, double actual) {
        double e = predicted - actual;
        squared += e * e;
        absolute += Math.abs(e);
        count++;
    }

    public double rmse() { return count == 0 ? Double.NaN : Math.sqrt(squared / count); }

    public double mae() { return count == 0 ? Double.NaN : absolute / count; }

    public long count() { return count; }

    /** {@code rmse} and {@code mae}, the metric names rating models report. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rmse", rmse());
        m.put("mae", mae());
        return m;
    }
}
