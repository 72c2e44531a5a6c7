package org.cinelab.tracking;

import java.util.Map;

/**
 * A run as a search returns it: its info, params, tags and the latest value of each metric (the value
 * at the highest step, latest logged among equal steps), as MLflow's {@code runs/search} gives them.
 */
public record RunRecord(RunInfo info, Map<String, String> params, Map<String, String> tags, Map<String, Double> metrics) {
    public RunRecord {
        params = Map.copyOf(params);
        tags = Map.copyOf(tags);
        metrics = Map.copyOf(metrics);
    }

    public String runId() { return info.runId(); }
}
