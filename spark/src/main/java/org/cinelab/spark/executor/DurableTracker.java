package org.cinelab.spark.executor;

import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.Tracker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tracker whose {@link #logMetrics} returns only once the points are stored. On an executor a
 * trial writes its checkpoint and state after logging an epoch; if the JVM is killed right after,
 * the retried segment must find every point the state counts, or a step would be lost.
 */
final class DurableTracker implements Tracker {
    private final Tracker delegate;

    DurableTracker(Tracker delegate) { this.delegate = delegate; }

    @Override
    public void logMetrics(String runId, List<MetricPoint> points) throws IOException {
        delegate.logMetrics(runId, points);
        delegate.flush();
    }

    @Override
    public String getOrCreateExperiment(String name, Map<String, String> tags) throws IOException {
        return delegate.getOrCreateExperiment(name, tags);
    }

    @Override
    public Optional<ExperimentInfo> findExperimentByName(String name) throws IOException { return delegate.findExperimentByName(name); }

    @Override
    public String createRun(String experimentId, String runName, long startTimeMs, Map<String, String> tags) throws IOException {
        return delegate.createRun(experimentId, runName, startTimeMs, tags);
    }

    @Override
    public void logParams(String runId, Map<String, String> params) throws IOException { delegate.logParams(runId, params); }

    @Override
    public void setTags(String runId, Map<String, String> tags) throws IOException { delegate.setTags(runId, tags); }

    @Override
    public void logArtifact(String runId, String artifactPath, Path localFile) throws IOException {
        delegate.logArtifact(runId, artifactPath, localFile);
    }

    @Override
    public void setRunStatus(String runId, RunStatus status, Long endTimeMs) throws IOException {
        delegate.setRunStatus(runId, status, endTimeMs);
    }

    @Override
    public Optional<RunInfo> getRun(String runId) throws IOException { return delegate.getRun(runId); }

    @Override
    public List<RunInfo> listRuns(String experimentId) throws IOException { return delegate.listRuns(experimentId); }

    @Override
    public Map<String, String> getParams(String runId) throws IOException { return delegate.getParams(runId); }

    @Override
    public Map<String, String> getTags(String runId) throws IOException { return delegate.getTags(runId); }

    @Override
    public List<MetricPoint> getMetricHistory(String runId, String key) throws IOException { return delegate.getMetricHistory(runId, key); }

    @Override
    public List<String> getMetricKeys(String runId) throws IOException { return delegate.getMetricKeys(runId); }

    @Override
    public void flush() throws IOException { delegate.flush(); }

    @Override
    public String describe() { return delegate.describe(); }

    @Override
    public void close() throws IOException { delegate.close(); }
}
