package org.cinelab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunSearch;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.Tracker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs a report needs from a tracking store, a local one or a server, read through the {@link Tracker}
 * interface only: per seed, the latest FINISHED parent run of an experiment (tag {@code cinelab.seed});
 * its children; metric values and histories; the published numbers in the parent's {@code spec.yaml}
 * artifact. Listings are cached per experiment.
 */
final class StoreReader {
    static final String PARENT_TAG = "mlflow.parentRunId";
    static final String SEED_TAG = "cinelab.seed";

    private final Tracker tracker;
    private final Map<String, List<TaggedRun>> runsByExperiment = new HashMap<>();

    record TaggedRun(RunInfo info, Map<String, String> tags) {
        boolean isParent() { return !tags.containsKey(PARENT_TAG); }
        boolean finished() { return info.status() == RunStatus.FINISHED; }
    }

    StoreReader(Tracker tracker) { this.tracker = tracker; }

    /** Seed -> the latest finished parent run with that seed; seeds without one are absent. */
    Map<Integer, RunInfo> latestParents(String experimentName, List<Integer> seeds) throws IOException {
        Map<Integer, RunInfo> out = new LinkedHashMap<>();
        for (int seed : seeds) {
            runs(experimentName).stream()
                    .filter(r -> r.isParent() && r.finished() && Integer.toString(seed).equals(r.tags().get(SEED_TAG)))
                    .map(TaggedRun::info)
                    .max(Comparator.comparingLong(RunInfo::startTimeMs).thenComparing(RunInfo::runId))
                    .ifPresent(r -> out.put(seed, r));
        }
        return out;
    }

    /** Finished trial runs of a parent, by run name (the final refit run is not a trial of the search). */
    List<RunInfo> children(String experimentName, RunInfo parent) throws IOException {
        return runs(experimentName).stream()
                .filter(r -> !r.isParent() && r.finished() && parent.runId().equals(r.tags().get(PARENT_TAG))
                        && !r.tags().containsKey("cinelab.refit_of"))
                .map(TaggedRun::info)
                .sorted(Comparator.comparing(RunInfo::runName).thenComparing(RunInfo::runId))
                .toList();
    }

    /**
     * Every child run of a parent whatever its status: a trial stopped early or failed still spent the
     * epochs it logged.
     */
    List<RunInfo> allChildren(String experimentName, RunInfo parent) throws IOException {
        return runs(experimentName).stream()
                .filter(r -> !r.isParent() && parent.runId().equals(r.tags().get(PARENT_TAG)))
                .map(TaggedRun::info)
                .sorted(Comparator.comparing(RunInfo::runName).thenComparing(RunInfo::runId))
                .toList();
    }

    List<MetricPoint> history(RunInfo run, String key) throws IOException { return tracker.getMetricHistory(run.runId(), key); }

    /** The finished children whose params match {@code where} (all of them for an empty {@code where}). */
    List<RunInfo> matchingChildren(String experimentName, RunInfo parent, Map<String, String> where) throws IOException {
        List<RunInfo> matching = new ArrayList<>();
        for (RunInfo c : children(experimentName, parent)) {
            Map<String, String> params = tracker.getParams(c.runId());
            if (where.entrySet().stream().allMatch(e -> sameValue(params.get(e.getKey()), e.getValue()))) matching.add(c);
        }
        return matching;
    }

    Map<String, String> params(RunInfo run) throws IOException { return tracker.getParams(run.runId()); }

    Map<String, String> tags(RunInfo run) throws IOException { return tracker.getTags(run.runId()); }

    /** Each metric's final value (highest step, latest logged among equal steps). */
    Map<String, Double> finalMetrics(RunInfo run) throws IOException {
        Map<String, Double> out = new java.util.TreeMap<>();
        for (String key : tracker.getMetricKeys(run.runId())) {
            RunSearch.latest(tracker.getMetricHistory(run.runId(), key)).ifPresent(v -> out.put(key, v));
        }
        return out;
    }

    /** {@code paper.<key>} of the spec the run logged as its {@code spec.yaml} artifact (read through the tracker), or null. */
    Double paperFromSpec(RunInfo parent, String key) throws IOException {
        Optional<byte[]> spec = tracker.readArtifact(parent.runId(), "spec.yaml");
        if (spec.isEmpty()) return null;
        JsonNode value = new ObjectMapper(new YAMLFactory()).readTree(spec.get()).path("paper").path(key);
        return value.isNumber() ? value.doubleValue() : null;
    }

    private List<TaggedRun> runs(String experimentName) throws IOException {
        List<TaggedRun> cached = runsByExperiment.get(experimentName);
        if (cached != null) return cached;
        List<TaggedRun> runs = new ArrayList<>();
        Optional<ExperimentInfo> exp = tracker.findExperimentByName(experimentName);
        if (exp.isPresent() && exp.get().isActive()) {
            for (RunInfo r : tracker.listRuns(exp.get().experimentId())) runs.add(new TaggedRun(r, tracker.getTags(r.runId())));
        }
        runsByExperiment.put(experimentName, runs);
        return runs;
    }

    /** Equal as text, or as numbers ("0.01" matches "1e-2"; "1" matches "1.0"). */
    static boolean sameValue(String actual, String expected) {
        if (actual == null) return false;
        if (actual.equals(expected)) return true;
        try {
            return Double.parseDouble(actual) == Double.parseDouble(expected);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
