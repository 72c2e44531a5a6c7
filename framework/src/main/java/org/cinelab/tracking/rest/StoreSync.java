package org.cinelab.tracking.rest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.SyncTarget;
import org.cinelab.tracking.Tracker;

/**
 * Copies a local store (a {@link RestTracker} spool, any {@code ./mlruns}, a SQLite database) to a
 * {@link SyncTarget} (a server, or another local store), idempotently: a run copied once is found again by its tag {@value Spool#SOURCE_RUN_TAG}, metric
 * points the server has already (same key, step, timestamp and value) are not sent twice,
 * artifacts are overwritten with the same bytes, params are immutable and tags are set again. A
 * spool mirror (tag {@value Spool#TARGET_RUN_TAG}) is appended to the server run it stands for.
 * Parent links ({@code mlflow.parentRunId}) are rewritten to the target ids of copied parents.
 */
public final class StoreSync {
    private static final String PARENT_TAG = "mlflow.parentRunId";

    /** What one sync did. */
    public record Report(int runsCreated, int runsFound, int pointsSent, int pointsAlreadyThere, int artifacts) {
        public String summary() {
            return runsCreated + " run(s) created, " + runsFound + " already there, " + pointsSent
                    + " metric point(s) sent, " + pointsAlreadyThere + " already there, " + artifacts + " artifact(s)";
        }
    }

    private final SyncTarget target;
    private final Consumer<String> progress;
    private final Map<String, String> serverIds = new HashMap<>();
    private int runsCreated;
    private int runsFound;
    private int pointsSent;
    private int pointsAlreadyThere;
    private int artifacts;

    public StoreSync(RestApi api, Consumer<String> progress) {
        this(new ServerSyncTarget(api), progress);
    }

    public StoreSync(SyncTarget target, Consumer<String> progress) {
        this.target = target;
        this.progress = progress;
    }

    public Report sync(Tracker source) throws IOException {
        for (ExperimentInfo experiment : source.listExperiments()) {
            List<RunInfo> runs = source.listRuns(experiment.experimentId());
            if (runs.isEmpty()) continue;
            String targetId = targetExperiment(experiment);
            progress.accept("Experiment '" + experiment.name() + "': " + runs.size() + " run(s) -> experiment " + targetId);
            for (RunInfo run : parentsFirst(source, runs)) syncRun(source, run, targetId);
        }
        return new Report(runsCreated, runsFound, pointsSent, pointsAlreadyThere, artifacts);
    }

    private String targetExperiment(ExperimentInfo experiment) throws IOException {
        String mapped = experiment.tags().get(Spool.TARGET_EXPERIMENT_TAG);
        if (mapped != null) return mapped;
        return target.experimentFor(experiment);
    }

    /** Runs whose parent is in this list come after it. */
    private static List<RunInfo> parentsFirst(Tracker source, List<RunInfo> runs) throws IOException {
        Map<String, RunInfo> pending = new LinkedHashMap<>();
        runs.stream().sorted(java.util.Comparator.comparingLong(RunInfo::startTimeMs)).forEach(r -> pending.put(r.runId(), r));
        Map<String, String> parents = new HashMap<>();
        for (RunInfo r : runs) {
            String parent = source.getTags(r.runId()).get(PARENT_TAG);
            if (parent != null) parents.put(r.runId(), parent);
        }
        List<RunInfo> ordered = new ArrayList<>();
        while (!pending.isEmpty()) {
            boolean progressed = false;
            for (RunInfo r : new ArrayList<>(pending.values())) {
                String parent = parents.get(r.runId());
                if (parent == null || !pending.containsKey(parent) || parent.equals(r.runId())) {
                    ordered.add(r);
                    pending.remove(r.runId());
                    progressed = true;
                }
            }
            if (!progressed) {
                ordered.addAll(pending.values());
                break;
            }
        }
        return ordered;
    }

    private void syncRun(Tracker source, RunInfo run, String experimentId) throws IOException {
        Map<String, String> tags = new LinkedHashMap<>(source.getTags(run.runId()));
        String mirrorOf = tags.remove(Spool.TARGET_RUN_TAG);
        boolean mirror = mirrorOf != null;
        if (tags.containsKey(PARENT_TAG)) tags.put(PARENT_TAG, serverIds.getOrDefault(tags.get(PARENT_TAG), tags.get(PARENT_TAG)));
        RunInfo copy;
        if (mirror) {
            tags.remove(org.cinelab.tracking.MlflowFileStore.RUN_NAME_TAG);
            copy = target.getRun(mirrorOf).orElseThrow(() -> new IOException("spooled run "
                    + run.runId() + " continues server run " + mirrorOf + ", which the server does not have"));
            runsFound++;
        } else {
            tags.put(Spool.SOURCE_RUN_TAG, run.runId());
            Optional<RunInfo> found = target.findRunByTag(experimentId, Spool.SOURCE_RUN_TAG, run.runId());
            if (found.isPresent()) {
                copy = found.get();
                runsFound++;
            } else {
                copy = target.createRun(experimentId, run.runName(), run.startTimeMs(), tags,
                        run.userId() == null || run.userId().isEmpty() ? RestApi.defaultUser(tags) : run.userId());
                runsCreated++;
            }
        }
        serverIds.put(run.runId(), copy.runId());
        target.logParamsAndTags(copy.runId(), source.getParams(run.runId()), tags);
        for (String key : source.getMetricKeys(run.runId())) {
            List<MetricPoint> points = source.getMetricHistory(run.runId(), key);
            List<MetricPoint> missing = target.missingPoints(copy.runId(), points);
            target.logMetrics(copy.runId(), missing);
            pointsSent += missing.size();
            pointsAlreadyThere += points.size() - missing.size();
        }
        Optional<Path> artifactsDir = source.localArtifactDirectory(run.runId());
        if (artifactsDir.isPresent() && Files.isDirectory(artifactsDir.get())) {
            try (Stream<Path> files = Files.walk(artifactsDir.get())) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String relative = artifactsDir.get().relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                    target.putArtifact(copy, relative, file);
                    artifacts++;
                }
            }
        }
        if (!mirror || run.status().isTerminal()) target.setRunStatus(copy.runId(), run.status(), run.endTimeMs());
    }
}
