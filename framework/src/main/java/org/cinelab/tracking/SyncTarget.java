package org.cinelab.tracking;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code cinelab sync} copies runs to: an MLflow server, or any local {@link Tracker} (a file
 * store, a SQLite database). The copying rules (parents first, idempotence, spool mirrors) live in
 * the sync itself; a target only answers these questions and writes.
 */
public interface SyncTarget {

    /** The target's id of the experiment with the source's name, created with its tags when absent; a deleted one is refused. */
    String experimentFor(ExperimentInfo source) throws IOException;

    /** The run an earlier sync made in this experiment, found by its tag {@code tagKey = tagValue}. */
    Optional<RunInfo> findRunByTag(String experimentId, String tagKey, String tagValue) throws IOException;

    /** @param userId the source run's user (a server records it as user_id; local stores take it from the mlflow.user tag) */
    RunInfo createRun(String experimentId, String runName, long startTimeMs, Map<String, String> tags, String userId) throws IOException;

    Optional<RunInfo> getRun(String runId) throws IOException;

    /** Params are immutable (the same value again is fine); tags are set again. */
    void logParamsAndTags(String runId, Map<String, String> params, Map<String, String> tags) throws IOException;

    /** The points the run lacks, compared by key, step, timestamp and value. */
    List<MetricPoint> missingPoints(String runId, List<MetricPoint> points) throws IOException;

    void logMetrics(String runId, List<MetricPoint> points) throws IOException;

    /** Writes one artifact file at {@code artifactPath} under the run's artifacts, replacing it. */
    void putArtifact(RunInfo run, String artifactPath, Path file) throws IOException;

    void setRunStatus(String runId, RunStatus status, Long endTimeMs) throws IOException;

    /** Where the copies go, for messages. */
    String describe();
}
