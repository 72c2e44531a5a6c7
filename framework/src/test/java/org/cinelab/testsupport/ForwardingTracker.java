package org.cinelab.testsupport;

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

/** A tracker that passes every call to another: tests override the one call they break. */
public class ForwardingTracker implements Tracker {
    protected final Tracker delegate;

    public ForwardingTracker(Tracker delegate) { this.delegate = delegate; }

    @Override public String getOrCreateExperiment(String name, Map<String, String> tags) throws IOException { return delegate.getOrCreateExperiment(name, tags); }
    @Override public Optional<ExperimentInfo> findExperimentByName(String name) throws IOException { return delegate.findExperimentByName(name); }
    @Override public String createRun(String e, String n, long t, Map<String, String> tags) throws IOException { return delegate.createRun(e, n, t, tags); }
    @Override public void logParams(String runId, Map<String, String> params) throws IOException { delegate.logParams(runId, params); }
    @Override public void logMetrics(String runId, List<MetricPoint> points) throws IOException { delegate.logMetrics(runId, points); }
    @Override public void setTags(String runId, Map<String, String> tags) throws IOException { delegate.setTags(runId, tags); }
    @Override public void logArtifact(String runId, String path, Path file) throws IOException { delegate.logArtifact(runId, path, file); }
    @Override public void setRunStatus(String runId, RunStatus s, Long end) throws IOException { delegate.setRunStatus(runId, s, end); }
    @Override public Optional<RunInfo> getRun(String runId) throws IOException { return delegate.getRun(runId); }
    @Override public List<RunInfo> listRuns(String experimentId) throws IOException { return delegate.listRuns(experimentId); }
    @Override public Map<String, String> getParams(String runId) throws IOException { return delegate.getParams(runId); }
    @Override public Map<String, String> getTags(String runId) throws IOException { return delegate.getTags(runId); }
    @Override public List<MetricPoint> getMetricHistory(String runId, String key) throws IOException { return delegate.getMetricHistory(runId, key); }
    @Override public List<String> getMetricKeys(String runId) throws IOException { return delegate.getMetricKeys(runId); }
    @Override public String describe() { return delegate.describe(); }
}
