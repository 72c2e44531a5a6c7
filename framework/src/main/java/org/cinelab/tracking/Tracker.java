package org.cinelab.tracking;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where experiments, runs, params, metrics, tags and artifacts go: the local MLflow file store,
 * an MLflow SQLite database or an MLflow server. Reading methods serve {@code --resume}, {@code cinelab report}, {@code runs}, {@code compare} and {@code sync}.
 * Implementations must be safe to call from several trial threads at once.
 */
public interface Tracker extends AutoCloseable {

    /** The id of the active experiment with this name, creating it (with these tags) if absent. */
    String getOrCreateExperiment(String name, Map<String, String> tags) throws IOException;

    /** The experiment with this name, active or deleted (MLflow keeps the names of deleted experiments). */
    Optional<ExperimentInfo> findExperimentByName(String name) throws IOException;

    /** Creates a RUNNING run and returns its id. {@code tags} must include {@code mlflow.runName} handling by the store. */
    String createRun(String experimentId, String runName, long startTimeMs, Map<String, String> tags) throws IOException;

    /** Params are immutable: logging a key again with a different value fails. */
    void logParams(String runId, Map<String, String> params) throws IOException;

    void logMetrics(String runId, List<MetricPoint> points) throws IOException;

    void setTags(String runId, Map<String, String> tags) throws IOException;

    /** Copies a local file into the run's artifacts at {@code artifactPath} (a relative POSIX path). */
    void logArtifact(String runId, String artifactPath, Path localFile) throws IOException;

    /** Sets a terminal (or RUNNING again, on resume) status and end time (null while running). */
    void setRunStatus(String runId, RunStatus status, Long endTimeMs) throws IOException;

    Optional<RunInfo> getRun(String runId) throws IOException;

    /** Active runs of an experiment, in no particular order. */
    List<RunInfo> listRuns(String experimentId) throws IOException;

    Map<String, String> getParams(String runId) throws IOException;

    Map<String, String> getTags(String runId) throws IOException;

    /** Every logged point of one metric, in logging order. */
    List<MetricPoint> getMetricHistory(String runId, String key) throws IOException;

    /** Metric keys that have at least one point. */
    List<String> getMetricKeys(String runId) throws IOException;

    /**
     * Frees the disk space this tracker set aside, so that the runs of an execution that failed
     * because the disk filled up can still be ended FAILED. Called once, on that failure path.
     */
    default void releaseReserve() {}

    /** Which store this is, in a few words for error messages: {@code MLflow file store /abs/mlruns}. */
    default String location() { return describe(); }

    /**
     * Returns once everything logged so far is stored (metrics that an implementation queues
     * included), so that state written afterwards never claims more than the store holds.
     */
    default void flush() throws IOException {}

    /**
     * Runs of the query's experiments that match its filter, in its order, at most {@code maxResults}
     * (MLflow's {@code runs/search}). This default reads every active run through the methods above and
     * filters in Java; a tracker that can search on its side (an MLflow server) overrides it.
     */
    default List<RunRecord> searchRuns(RunQuery query) throws IOException {
        return RunSearch.inMemory(this, query);
    }

    /**
     * Active experiments, Default included, in no particular order (what {@code cinelab sync} copies and
     * {@code cinelab runs} lists). Stores that cannot list them say so; callers then ask for a name.
     */
    default List<ExperimentInfo> listExperiments() throws IOException {
        throw new UnsupportedOperationException(describe() + " cannot list its experiments; name one");
    }

    /**
     * The bytes of one artifact of a run ({@code artifactPath} relative to the run's artifact root), or
     * empty when the run or the file does not exist. This default reads the store's local artifact folder
     * (or a local artifact URI); a tracker that serves artifacts remotely overrides it.
     */
    default Optional<byte[]> readArtifact(String runId, String artifactPath) throws IOException {
        Optional<Path> local = localArtifactDirectory(runId);
        if (local.isPresent()) {
            Path f = local.get().resolve(artifactPath).normalize();
            return f.startsWith(local.get()) && java.nio.file.Files.isRegularFile(f)
                    ? Optional.of(java.nio.file.Files.readAllBytes(f)) : Optional.empty();
        }
        return RunSearch.readLocalArtifact(this, runId, artifactPath);
    }

    /**
     * The directory on this machine that holds a run's artifacts, when the store keeps them locally
     * (it may not exist before the first artifact); empty for a tracking server.
     */
    default Optional<Path> localArtifactDirectory(String runId) throws IOException {
        return Optional.empty();
    }

    /** Where a user opens this store, for messages (e.g. the mlflow ui command). */
    String describe();

    @Override
    default void close() throws IOException {}
}
