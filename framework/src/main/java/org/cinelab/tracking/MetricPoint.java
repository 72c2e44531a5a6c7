package org.cinelab.tracking;

/** One logged metric value: MLflow's {@code timestamp value step} line. */
public record MetricPoint(String key, double value, long step, long timestampMs) {
}
