package org.cinelab.tracking;

import java.util.Map;

/**
 * An MLflow experiment as its {@code meta.yaml} and tag files describe it. Times are null in
 * stores written by old MLflow versions that did not record them.
 */
public record ExperimentInfo(String experimentId, String name, String artifactLocation, String lifecycleStage,
                             Long creationTimeMs, Long lastUpdateTimeMs, Map<String, String> tags) {
    public static final String ACTIVE = "active";
    public static final String DELETED = "deleted";

    public ExperimentInfo {
        tags = Map.copyOf(tags);
    }

    public boolean isActive() {
        return ACTIVE.equals(lifecycleStage);
    }
}
