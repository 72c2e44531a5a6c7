package org.cinelab.tracking;

/** The fields of a run that MLflow readers use; {@code endTimeMs} is null while running. */
public record RunInfo(String runId, String experimentId, String runName, String userId, RunStatus status,
                      long startTimeMs, Long endTimeMs, String artifactUri, String lifecycleStage) {
}
