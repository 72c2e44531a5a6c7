package org.cinelab.tracking.rest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.SyncTarget;

/** An MLflow tracking server as the target of a sync: runs searched by tag, points compared by count, artifacts through the proxy. */
public final class ServerSyncTarget implements SyncTarget {
    private final RestApi api;

    public ServerSyncTarget(RestApi api) {
        this.api = api;
    }

    @Override
    public String experimentFor(ExperimentInfo experiment) throws IOException {
        Optional<ExperimentInfo> existing = api.experimentByName(experiment.name());
        if (existing.isPresent()) {
            if (!existing.get().isActive()) {
                throw new IllegalStateException("experiment '" + experiment.name() + "' is deleted on the server; "
                        + "restore it or rename the local experiment before syncing");
            }
            return existing.get().experimentId();
        }
        try {
            return api.createExperiment(experiment.name(), experiment.tags());
        } catch (MlflowServerException e) {
            if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) throw e;
            return api.experimentByName(experiment.name()).orElseThrow(() -> e).experimentId();
        }
    }

    @Override
    public Optional<RunInfo> findRunByTag(String experimentId, String tagKey, String tagValue) throws IOException {
        List<RestApi.RunData> found = api.searchRuns(List.of(experimentId), "tags.`" + tagKey + "` = " + RestApi.quote(tagValue));
        return found.stream().findFirst().map(RestApi.RunData::info);
    }

    @Override
    public RunInfo createRun(String experimentId, String runName, long startTimeMs, Map<String, String> tags, String userId)
            throws IOException {
        return api.createRun(experimentId, runName, startTimeMs, tags, userId);
    }

    @Override
    public Optional<RunInfo> getRun(String runId) throws IOException {
        return api.getRun(runId).map(RestApi.RunData::info);
    }

    @Override
    public void logParamsAndTags(String runId, Map<String, String> params, Map<String, String> tags) throws IOException {
        api.logParamsAndTags(runId, params, tags);
    }

    @Override
    public List<MetricPoint> missingPoints(String runId, List<MetricPoint> points) throws IOException {
        return api.missingOnServer(runId, points);
    }

    @Override
    public void logMetrics(String runId, List<MetricPoint> points) throws IOException {
        api.logMetrics(runId, points);
    }

    @Override
    public void putArtifact(RunInfo run, String artifactPath, Path file) throws IOException {
        api.uploadArtifact(run.artifactUri(), artifactPath, Files.readAllBytes(file));
    }

    @Override
    public void setRunStatus(String runId, RunStatus status, Long endTimeMs) throws IOException {
        api.updateRun(runId, status, endTimeMs);
    }

    @Override
    public String describe() {
        return "MLflow tracking server " + api.settings().baseUri();
    }
}
