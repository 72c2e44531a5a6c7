package org.cinelab.models.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;

/**
 * The class of each title, read from a DEC run's {@code cluster_labels.csv} ({@code show_id,cluster,...}):
 * given directly as a file, or found by run id in a file-based MLflow store (the run's own
 * {@code artifacts/model/}, or that of the child run that holds it when the id is a parent run's),
 * or as {@code latest:EXPERIMENT}: the newest FINISHED run of that experiment whose trial seed is
 * this trial's. Trial seeds derive from the spec seed and the trial id, so running the clusterer
 * and the classifier with the same {@code --seed N} pairs them seed by seed without editing a spec.
 */
public final class ClusterLabels {
    public static final String FILE = "cluster_labels.csv";
    public static final String LATEST = "latest:";

    private final Path source;
    private final Map<String, Integer> byShowId;
    private final int classes;

    private ClusterLabels(Path source, Map<String, Integer> byShowId) {
        this.source = source;
        this.byShowId = byShowId;
        this.classes = byShowId.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    /** The label file at {@code labels}, else the one of run {@code runId} (or {@code latest:EXPERIMENT}) under {@code trackingDir}. */
    public static ClusterLabels locate(String labels, String runId, Path trackingDir, long trialSeed) {
        if (!labels.isEmpty()) return read(Path.of(labels));
        if (runId.isEmpty()) {
            throw new IllegalArgumentException("model params: set 'labels' (a cluster_labels.csv path) or 'dec_run' (a DEC run id, or "
                    + LATEST + "EXPERIMENT, in " + trackingDir + ")");
        }
        if (runId.startsWith(LATEST)) return read(findLatest(runId.substring(LATEST.length()), trackingDir, trialSeed));
        return read(findInStore(runId, trackingDir));
    }

    static Path findLatest(String experiment, Path trackingDir, long trialSeed) {
        if (!Files.isDirectory(trackingDir)) {
            throw new IllegalArgumentException("model param 'dec_run': no tracking store at " + trackingDir + " (set 'tracking_dir')");
        }
        try {
            MlflowFileStore store = new MlflowFileStore(trackingDir);
            ExperimentInfo exp = store.findExperimentByName(experiment).orElseThrow(() -> new IllegalArgumentException(
                    "model param 'dec_run': no experiment '" + experiment + "' in " + trackingDir + " (run its spec first)"));
            RunInfo newest = null;
            List<String> seeds = new java.util.ArrayList<>();
            for (RunInfo run : store.listRuns(exp.experimentId())) {
                Path file = trackingDir.resolve(exp.experimentId()).resolve(run.runId()).resolve("artifacts/model").resolve(FILE);
                if (run.status() != RunStatus.FINISHED || !Files.isRegularFile(file)) continue;
                String seed = store.getTags(run.runId()).get("cinelab.seed");
                seeds.add(seed);
                if (Long.toString(trialSeed).equals(seed) && (newest == null || run.startTimeMs() > newest.startTimeMs())) newest = run;
            }
            if (newest == null) {
                throw new IllegalArgumentException("model param 'dec_run': experiment '" + experiment + "' has no FINISHED run with "
                        + FILE + " for trial seed " + trialSeed + " (found trial seeds " + seeds + "); run its spec with the same --seed first");
            }
            return trackingDir.resolve(exp.experimentId()).resolve(newest.runId()).resolve("artifacts/model").resolve(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("model param 'dec_run': cannot read the tracking store " + trackingDir, e);
        }
    }

    static Path findInStore(String runId, Path trackingDir) {
        try (Stream<Path> experiments = Files.list(trackingDir)) {
            Path fallback = null;
            for (Path exp : experiments.filter(Files::isDirectory).toList()) {
                Path own = exp.resolve(runId).resolve("artifacts/model").resolve(FILE);
                if (Files.isRegularFile(own)) return own;
                try (Stream<Path> runs = Files.list(exp)) {
                    for (Path run : runs.filter(Files::isDirectory).toList()) {
                        Path parent = run.resolve("tags/mlflow.parentRunId");
                        Path file = run.resolve("artifacts/model").resolve(FILE);
                        if (Files.isRegularFile(parent) && Files.readString(parent).trim().equals(runId) && Files.isRegularFile(file)) {
                            fallback = file;
                        }
                    }
                }
            }
            if (fallback != null) return fallback;
        } catch (IOException e) {
            throw new UncheckedIOException("model param 'dec_run': cannot read the tracking store " + trackingDir, e);
        }
        throw new IllegalArgumentException("model param 'dec_run': no run " + runId + " with artifact model/" + FILE + " under "
                + trackingDir + " (run a DEC spec first, or give 'labels' a file path)");
    }

    public static ClusterLabels read(Path file) {
        Map<String, Integer> map = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).startsWith("show_id,cluster")) {
                throw new IllegalArgumentException(file + ":1: expected the header 'show_id,cluster,...' of a DEC label file");
            }
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) continue;
                String[] cells = line.split(",", 3);
                try {
                    map.put(cells[0], Integer.parseInt(cells[1]));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": field 'cluster': expected a cluster number, got '" + line + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read label file " + file, e);
        }
        return new ClusterLabels(file, map);
    }

    /** The cluster of a title; fails naming the file when the title is not in it. */
    public int of(String showId) {
        Integer c = byShowId.get(showId);
        if (c == null) throw new IllegalArgumentException(source + ": no label for title " + showId
                + " (was the DEC run fitted on other data? its fit_on and dataset options must cover these titles)");
        return c;
    }

    public int classes() { return classes; }

    public Path source() { return source; }
}
