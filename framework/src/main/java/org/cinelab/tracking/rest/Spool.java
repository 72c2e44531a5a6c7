package org.cinelab.tracking.rest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;

/**
 * Where a {@link RestTracker} logs while its server is down: an MLflow file store that
 * {@code cinelab sync} replays later. Runs created during the outage live only here (their
 * spool ids stand in for server ids); writes to runs that exist on the server go to a
 * <em>mirror</em> run tagged {@value #TARGET_RUN_TAG}, so sync appends them to the original.
 */
final class Spool {
    /** On a server run created by sync: the id of the run it was copied from. */
    static final String SOURCE_RUN_TAG = "cinelab.sync.source_run_id";
    /** On a spool mirror run: the server run its contents belong to. */
    static final String TARGET_RUN_TAG = "cinelab.sync.target_run_id";
    /** On a spool experiment made for a server experiment whose name was unknown: that experiment's id. */
    static final String TARGET_EXPERIMENT_TAG = "cinelab.sync.target_experiment_id";

    private final Path dir;
    private final Map<String, String> mirrors = new ConcurrentHashMap<>();
    private MlflowFileStore store;

    Spool(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    synchronized MlflowFileStore store() throws IOException {
        if (store == null) store = new MlflowFileStore(dir);
        return store;
    }

    /** A run that exists only in the spool (created while the server was down). */
    boolean ownsRun(String runId) throws IOException {
        if (!Files.isDirectory(dir) || !runId.matches("[A-Za-z0-9_-]+")) return false;
        Optional<RunInfo> run = store().getRun(runId);
        return run.isPresent() && !store().getTags(runId).containsKey(TARGET_RUN_TAG);
    }

    /** The spool experiment standing in for a server experiment, by name when known. */
    synchronized String experimentFor(String serverExperimentId, String name) throws IOException {
        String spoolName = name != null ? name : "cinelab-spool-experiment-" + serverExperimentId;
        Optional<ExperimentInfo> existing = store().findExperimentByName(spoolName);
        if (existing.isPresent() && existing.get().isActive()) return existing.get().experimentId();
        return store().getOrCreateExperiment(spoolName,
                name != null ? Map.of() : Map.of(TARGET_EXPERIMENT_TAG, serverExperimentId));
    }

    /** The spool run collecting writes for server run {@code serverRunId}, created on first use. */
    synchronized String mirrorOf(String serverRunId, String serverExperimentId, String experimentName, String runName,
                                 long startTimeMs) throws IOException {
        String cached = mirrors.get(serverRunId);
        if (cached != null) return cached;
        String found = findMirror(serverRunId);
        if (found == null) {
            String experiment = experimentFor(serverExperimentId, experimentName);
            found = store().createRun(experiment, runName != null ? runName : "mirror-" + serverRunId, startTimeMs,
                    Map.of(TARGET_RUN_TAG, serverRunId));
        }
        mirrors.put(serverRunId, found);
        return found;
    }

    /** The mirror of a server run if this spool has one (it may come from an earlier process). */
    synchronized Optional<String> existingMirror(String serverRunId) throws IOException {
        String cached = mirrors.get(serverRunId);
        if (cached != null) return Optional.of(cached);
        if (!Files.isDirectory(dir)) return Optional.empty();
        String found = findMirror(serverRunId);
        if (found != null) mirrors.put(serverRunId, found);
        return Optional.ofNullable(found);
    }

    private String findMirror(String serverRunId) throws IOException {
        for (ExperimentInfo experiment : store().listExperiments()) {
            for (RunInfo run : store().listRuns(experiment.experimentId())) {
                if (serverRunId.equals(store().getTags(run.runId()).get(TARGET_RUN_TAG))) return run.runId();
            }
        }
        return null;
    }

    /** True when anything but the empty Default experiment has been written. */
    boolean hasContent() throws IOException {
        if (!Files.isDirectory(dir)) return false;
        for (ExperimentInfo experiment : store().listExperiments()) {
            if (!store().listRuns(experiment.experimentId()).isEmpty()) return true;
        }
        return false;
    }
}
