package org.cinelab.tracking;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A local store as the target of a sync ({@code cinelab sync ./mlruns --to sqlite:///mlflow.db}).
 * A point counts as present when the run has one with the same key, step, timestamp and value, with
 * ±infinity equal to ±{@link Double#MAX_VALUE} (how SQL stores keep it); SQL stores keep a repeated
 * point once, so comparing by presence rather than by count keeps a second sync from sending it again.
 */
public final class TrackerSyncTarget implements SyncTarget {
    private static final int POINTS_PER_CALL = 1000;

    private final Tracker tracker;
    private final Map<String, Map<String, RunInfo>> runsByTag = new HashMap<>();

    public TrackerSyncTarget(Tracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public String experimentFor(ExperimentInfo source) throws IOException {
        Optional<ExperimentInfo> existing = tracker.findExperimentByName(source.name());
        if (existing.isPresent() && !existing.get().isActive()) {
            throw new IllegalStateException("experiment '" + source.name() + "' is deleted in " + tracker.describe()
                    + "; restore it or rename the source experiment before syncing");
        }
        return tracker.getOrCreateExperiment(source.name(), source.tags());
    }

    /** Reads the experiment's runs and their tags once, then answers from memory. */
    @Override
    public Optional<RunInfo> findRunByTag(String experimentId, String tagKey, String tagValue) throws IOException {
        String index = experimentId + "\u0000" + tagKey;
        Map<String, RunInfo> byValue = runsByTag.get(index);
        if (byValue == null) {
            byValue = new HashMap<>();
            for (RunInfo run : tracker.listRuns(experimentId)) {
                String value = tracker.getTags(run.runId()).get(tagKey);
                if (value != null) byValue.putIfAbsent(value, run);
            }
            runsByTag.put(index, byValue);
        }
        return Optional.ofNullable(byValue.get(tagValue));
    }

    @Override
    public RunInfo createRun(String experimentId, String runName, long startTimeMs, Map<String, String> tags, String userId)
            throws IOException {
        String runId = tracker.createRun(experimentId, runName, startTimeMs, tags);
        RunInfo run = tracker.getRun(runId).orElseThrow(() -> new IOException("run " + runId + " vanished from "
                + tracker.describe() + " right after it was created"));
        for (Map.Entry<String, Map<String, RunInfo>> index : runsByTag.entrySet()) {
            String tagKey = index.getKey().substring(index.getKey().indexOf('\u0000') + 1);
            if (index.getKey().startsWith(experimentId + "\u0000") && tags.containsKey(tagKey)) {
                index.getValue().putIfAbsent(tags.get(tagKey), run);
            }
        }
        return run;
    }

    @Override
    public Optional<RunInfo> getRun(String runId) throws IOException {
        return tracker.getRun(runId);
    }

    @Override
    public void logParamsAndTags(String runId, Map<String, String> params, Map<String, String> tags) throws IOException {
        if (!params.isEmpty()) tracker.logParams(runId, params);
        if (!tags.isEmpty()) tracker.setTags(runId, tags);
    }

    @Override
    public List<MetricPoint> missingPoints(String runId, List<MetricPoint> points) throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        for (MetricPoint p : points) keys.add(p.key());
        Set<PointKey> present = new HashSet<>();
        for (String key : keys) for (MetricPoint p : tracker.getMetricHistory(runId, key)) present.add(PointKey.of(p));
        List<MetricPoint> missing = new ArrayList<>();
        for (MetricPoint p : points) if (!present.contains(PointKey.of(p))) missing.add(p);
        return missing;
    }

    @Override
    public void logMetrics(String runId, List<MetricPoint> points) throws IOException {
        for (int from = 0; from < points.size(); from += POINTS_PER_CALL) {
            tracker.logMetrics(runId, points.subList(from, Math.min(points.size(), from + POINTS_PER_CALL)));
        }
    }

    @Override
    public void putArtifact(RunInfo run, String artifactPath, Path file) throws IOException {
        tracker.logArtifact(run.runId(), artifactPath, file);
    }

    @Override
    public void setRunStatus(String runId, RunStatus status, Long endTimeMs) throws IOException {
        tracker.setRunStatus(runId, status, endTimeMs);
    }

    @Override
    public String describe() {
        return tracker.describe();
    }

    private record PointKey(String key, long step, long timestamp, long valueBits) {
        static PointKey of(MetricPoint p) {
            double v = p.value();
            if (v == Double.POSITIVE_INFINITY) v = Double.MAX_VALUE;
            if (v == Double.NEGATIVE_INFINITY) v = -Double.MAX_VALUE;
            return new PointKey(p.key(), p.step(), p.timestampMs(), Double.doubleToLongBits(v));
        }
    }
}
