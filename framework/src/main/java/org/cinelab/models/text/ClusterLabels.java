package org.cinelab.models.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.RunFilter;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunOrder;
import org.cinelab.tracking.RunQuery;
import org.cinelab.tracking.RunRecord;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.factory.TrackerFactory;

/**
 * The class of each title, read from a DEC run's {@code cluster_labels.csv} ({@code show_id,cluster,...}):
 * given directly as a file, or found by run id in an MLflow store, local or a tracking server (the
 * run's own {@code model/} artifacts, or those of the child run that holds them when the id is a parent
 * run's), or as {@code latest:EXPERIMENT}: the newest FINISHED run of that experiment whose trial seed is
 * this trial's. Trial seeds derive from the spec seed and the trial id, so running the clusterer and the
 * classifier with the same {@code --seed N} pairs them seed by seed without editing a spec. Stores are
 * read through the {@link Tracker} interface only.
 */
public final class ClusterLabels {
    public static final String FILE = "cluster_labels.csv";
    public static final String LATEST = "latest:";
    private static final String ARTIFACT = "model/" + FILE;

    private final String source;
    private final Map<String, Integer> byShowId;
    private final int classes;

    private ClusterLabels(String source, Map<String, Integer> byShowId) {
        this.source = source;
        this.byShowId = byShowId;
        this.classes = byShowId.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    /**
     * The label file at {@code labels}, else the one of run {@code runId} (or {@code latest:EXPERIMENT}) in
     * the store at {@code trackingUri} (a directory, {@code file:} URI or {@code http(s)://} server).
     */
    public static ClusterLabels locate(String labels, String runId, String trackingUri, long trialSeed) {
        if (!labels.isEmpty()) return read(Path.of(labels));
        if (runId.isEmpty()) {
            throw new IllegalArgumentException("model params: set 'labels' (a cluster_labels.csv path) or 'dec_run' (a DEC run id, or "
                    + LATEST + "EXPERIMENT, in " + trackingUri + ")");
        }
        if (!TrackerFactory.isServerUri(trackingUri) && !Files.isDirectory(TrackerFactory.fileStoreRoot(trackingUri))) {
            throw new IllegalArgumentException("model param 'dec_run': no tracking store at " + trackingUri
                    + " (set 'tracking_dir' to the store the clustering run logged to: a directory or an http(s):// server)");
        }
        try (Tracker store = TrackerFactory.open(trackingUri)) {
            String run = runId.startsWith(LATEST) ? findLatest(store, runId.substring(LATEST.length()), trialSeed) : runId;
            return fromRun(store, run, !runId.startsWith(LATEST));
        } catch (IOException e) {
            throw new UncheckedIOException("model param 'dec_run': cannot read the tracking store " + trackingUri + ": " + e.getMessage(), e);
        }
    }

    /** The newest FINISHED run of the experiment tagged with the trial seed that has the label file. */
    static String findLatest(Tracker store, String experiment, long trialSeed) throws IOException {
        ExperimentInfo exp = store.findExperimentByName(experiment).filter(ExperimentInfo::isActive).orElseThrow(() -> new IllegalArgumentException(
                "model param 'dec_run': no experiment '" + experiment + "' in " + store.describe() + " (run its spec first)"));
        RunFilter seeded = RunFilter.parse("attributes.status = 'FINISHED' and tags.cinelab.seed = " + RunFilter.quote(Long.toString(trialSeed)));
        List<RunOrder> newestFirst = List.of(RunOrder.parse("attributes.start_time DESC"));
        for (RunRecord run : store.searchRuns(new RunQuery(List.of(exp.experimentId()), seeded, newestFirst, RunQuery.DEFAULT_MAX_RESULTS))) {
            if (store.readArtifact(run.runId(), ARTIFACT).isPresent()) return run.runId();
        }
        TreeSet<String> seeds = new TreeSet<>();
        for (RunRecord run : store.searchRuns(RunQuery.of(List.of(exp.experimentId()), RunFilter.parse("attributes.status = 'FINISHED'")))) {
            if (run.tags().containsKey("cinelab.seed")) seeds.add(run.tags().get("cinelab.seed"));
        }
        throw new IllegalArgumentException("model param 'dec_run': experiment '" + experiment + "' has no FINISHED run with " + FILE
                + " for trial seed " + trialSeed + " (FINISHED runs have trial seeds " + seeds + "); run its spec with the same --seed first");
    }

    /** The run's own label file, else (for a parent run id) that of its child that holds one. */
    static ClusterLabels fromRun(Tracker store, String runId, boolean childrenToo) throws IOException {
        Optional<byte[]> own = store.readArtifact(runId, ARTIFACT);
        if (own.isPresent()) return parse(own.get(), "run " + runId + " (" + ARTIFACT + ")");
        Optional<RunInfo> run = store.getRun(runId);
        if (run.isPresent() && childrenToo) {
            RunFilter children = RunFilter.parse("tags.mlflow.parentRunId = " + RunFilter.quote(runId));
            for (RunRecord child : store.searchRuns(RunQuery.of(List.of(run.get().experimentId()), children))) {
                Optional<byte[]> file = store.readArtifact(child.runId(), ARTIFACT);
                if (file.isPresent()) return parse(file.get(), "run " + child.runId() + " (" + ARTIFACT + ", child of " + runId + ")");
            }
        }
        throw new IllegalArgumentException("model param 'dec_run': " + (run.isEmpty() ? "no run " + runId : "run " + runId + " has no artifact "
                + ARTIFACT + " (nor a child run with one)") + " in " + store.describe() + " (run a DEC spec first, or give 'labels' a file path)");
    }

    public static ClusterLabels read(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read label file " + file, e);
        }
    }

    private static ClusterLabels parse(byte[] content, String source) {
        Map<String, Integer> map = new HashMap<>();
        List<String> lines = new String(content, StandardCharsets.UTF_8).lines().toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("show_id,cluster")) {
            throw new IllegalArgumentException(source + ":1: expected the header 'show_id,cluster,...' of a DEC label file");
        }
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] cells = line.split(",", 3);
            try {
                map.put(cells[0], Integer.parseInt(cells[1]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": field 'cluster': expected a cluster number, got '" + line + "'");
            }
        }
        return new ClusterLabels(source, map);
    }

    /** The cluster of a title; fails naming the file when the title is not in it. */
    public int of(String showId) {
        Integer c = byShowId.get(showId);
        if (c == null) throw new IllegalArgumentException(source + ": no label for title " + showId
                + " (was the DEC run fitted on other data? its fit_on and dataset options must cover these titles)");
        return c;
    }

    public int classes() { return classes; }

    /** Where the labels came from: a file path, or a run and its artifact. */
    public String source() { return source; }
}
