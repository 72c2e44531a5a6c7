package org.cinelab.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client-side run search every {@link Tracker} inherits: lists the experiments' active runs, reads
 * each run's params, tags and latest metric values through the tracker, and applies the filter, the
 * order and the limit in Java with MLflow's semantics. Trackers that can search (an MLflow server)
 * override {@link Tracker#searchRuns}.
 */
public final class RunSearch {
    private RunSearch() {}

    public static List<RunRecord> inMemory(Tracker tracker, RunQuery query) throws IOException {
        List<RunRecord> matching = new ArrayList<>();
        for (String experimentId : query.experimentIds()) {
            for (RunInfo info : tracker.listRuns(experimentId)) {
                RunRecord run = record(tracker, info);
                if (query.filter().matches(run)) matching.add(run);
            }
        }
        matching.sort(RunOrder.comparator(query.orderBy()));
        return matching.size() > query.maxResults() ? List.copyOf(matching.subList(0, query.maxResults())) : matching;
    }

    /** A run with its params, tags and latest metric values, read through the tracker. */
    public static RunRecord record(Tracker tracker, RunInfo info) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String key : tracker.getMetricKeys(info.runId())) {
            latest(tracker.getMetricHistory(info.runId(), key)).ifPresent(v -> metrics.put(key, v));
        }
        return new RunRecord(info, tracker.getParams(info.runId()), tracker.getTags(info.runId()), metrics);
    }

    /** MLflow's latest value: the highest step, then the latest timestamp, then the larger value. */
    public static Optional<Double> latest(List<MetricPoint> history) {
        return history.stream().max(Comparator.comparingLong(MetricPoint::step).thenComparingLong(MetricPoint::timestampMs)
                .thenComparingDouble(p -> Double.isNaN(p.value()) ? Double.NEGATIVE_INFINITY : p.value())).map(MetricPoint::value);
    }

    /** An artifact of a run whose artifact URI is a local directory or {@code file:} URI; empty otherwise or when absent. */
    public static Optional<byte[]> readLocalArtifact(Tracker tracker, String runId, String artifactPath) throws IOException {
        Optional<RunInfo> run = tracker.getRun(runId);
        if (run.isEmpty() || run.get().artifactUri() == null || run.get().artifactUri().isBlank()) return Optional.empty();
        Path root;
        try {
            root = org.cinelab.tracking.FileUris.localPath(run.get().artifactUri()).orElseThrow(() -> new IllegalArgumentException("not a local artifact URI: " + run.get().artifactUri()));
        } catch (RuntimeException notLocal) {
            return Optional.empty();
        }
        Path file = root.resolve(artifactPath).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) return Optional.empty();
        return Optional.of(Files.readAllBytes(file));
    }
}
