package org.cinelab.tracking.sqlite;

import org.cinelab.tracking.MetricPoint;

/**
 * A metric point as MLflow's SQL store keeps it: SQL has no NaN or infinity, so NaN is stored as 0
 * with {@code is_nan = 1} and ±infinity as ±{@link Double#MAX_VALUE} (MLflow's
 * {@code _get_metric_value_details}).
 */
record StoredPoint(double value, long timestamp, long step, boolean isNan) {

    static StoredPoint of(MetricPoint point) {
        double v = point.value();
        if (Double.isNaN(v)) return new StoredPoint(0.0, point.timestampMs(), point.step(), true);
        if (v == Double.POSITIVE_INFINITY) v = Double.MAX_VALUE;
        if (v == Double.NEGATIVE_INFINITY) v = -Double.MAX_VALUE;
        return new StoredPoint(v, point.timestampMs(), point.step(), false);
    }

    /**
     * MLflow's rule for {@code latest_metrics}: the point with the largest (step, timestamp, value),
     * comparing stored values (so a NaN counts as 0); a tie keeps the old row.
     */
    boolean isLaterThan(StoredPoint other) {
        if (step != other.step) return step > other.step;
        if (timestamp != other.timestamp) return timestamp > other.timestamp;
        return value > other.value;
    }

    static StoredPoint later(StoredPoint a, StoredPoint b) {
        return b.isLaterThan(a) ? b : a;
    }
}
