package org.cinelab.spark;

import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.Tracker;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What must be equal between two executions of one spec, by run name (as the framework's
 * RunnerFixture): status, params, parent or child, and every metric's (step, value) points in step
 * order, repeats included, so a step logged twice shows.
 */
final class RunSnapshot {
    private RunSnapshot() {}

    static Map<String, String> of(Tracker tracker, String experimentId) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (RunInfo run : tracker.listRuns(experimentId)) {
            StringBuilder sb = new StringBuilder();
            sb.append("status=").append(run.status()).append('\n');
            sb.append("params=").append(new TreeMap<>(tracker.getParams(run.runId()))).append('\n');
            sb.append("role=").append(tracker.getTags(run.runId()).containsKey("mlflow.parentRunId") ? "child" : "parent").append('\n');
            for (String key : new TreeSet<>(tracker.getMetricKeys(run.runId()))) {
                List<MetricPoint> h = tracker.getMetricHistory(run.runId(), key);
                sb.append(key).append('=');
                h.stream().sorted(Comparator.comparingLong(MetricPoint::step)).forEach(p -> sb.append(p.step()).append(':').append(p.value()).append(' '));
                sb.append('\n');
            }
            if (out.put(run.runName(), sb.toString()) != null) throw new AssertionError("two runs named " + run.runName());
        }
        return out;
    }

    /** Child runs only. */
    static Map<String, String> children(Tracker tracker, String experimentId) throws Exception {
        Map<String, String> all = of(tracker, experimentId);
        all.values().removeIf(v -> !v.contains("role=child"));
        return all;
    }
}
