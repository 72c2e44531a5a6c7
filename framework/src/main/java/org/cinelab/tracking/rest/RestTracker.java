package org.cinelab.tracking.rest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.MlflowNames;
import org.cinelab.tracking.RunFilter;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunOrder;
import org.cinelab.tracking.RunQuery;
import org.cinelab.tracking.RunRecord;
import org.cinelab.tracking.RunSearch;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs to a remote MLflow tracking server ({@code http(s)://} URIs) through {@link RestApi}.
 *
 * <p>Metrics are queued and sent in batches by a background {@link MetricSender}, so training never
 * waits on the network; reading a run's metrics, ending a run (a terminal status) and
 * {@link #close()} wait until everything queued has been delivered. Unreachable servers and 5xx
 * answers are retried with backoff ({@link RetryPolicy}); when the server stays down, this tracker
 * says so once and from then on logs to a local {@link Spool} in file-store layout, which
 * {@code cinelab sync SPOOL --to URI} (or {@link #close()}, if the server is back by then) replays
 * to the server. Known secrets are masked in everything sent or spooled ({@link Secrets}).
 */
public final class RestTracker implements Tracker {
    private static final Logger LOG = LoggerFactory.getLogger(RestTracker.class);
    private static final Set<String> SYNC_TAGS = Set.of(Spool.TARGET_RUN_TAG, MlflowFileStore.RUN_NAME_TAG);

    private record RunContext(String experimentId, String runName, long startTimeMs, String artifactUri) {}

    private final RestSettings settings;
    private final RestApi api;
    /** One attempt per call: reads while spooling check whether the server is back without waiting long. */
    private final RestApi probe;
    private final Spool spool;
    private final MetricSender sender;
    private final Consumer<String> notices;
    private final boolean syncOnClose;
    private final Map<String, String> experimentNames = new ConcurrentHashMap<>();
    private final Map<String, RunContext> serverRuns = new ConcurrentHashMap<>();
    private final Set<String> spoolExperiments = ConcurrentHashMap.newKeySet();
    private final Map<String, String> spoolRunExperiment = new ConcurrentHashMap<>();
    private volatile boolean spooling;

    /** A tracker for a server URI, configured from MLflow's environment variables (see {@link RestSettings}). */
    public static RestTracker open(String uri, Map<String, String> env) {
        return new RestTracker(RestSettings.from(uri, env));
    }

    public RestTracker(RestSettings settings) {
        this(settings, message -> LOG.warn(message), true);
    }

    /**
     * @param notices receives the few lines a user must read (server down, spool synced)
     * @param syncOnClose replay the spool on {@link #close()} when the server answers again
     */
    public RestTracker(RestSettings settings, Consumer<String> notices, boolean syncOnClose) {
        this.settings = settings;
        this.api = new RestApi(settings);
        this.probe = new RestApi(settings.withRetry(new RetryPolicy(1, java.time.Duration.ZERO, java.time.Duration.ZERO)));
        this.spool = new Spool(settings.spoolDir());
        this.notices = notices;
        this.syncOnClose = syncOnClose;
        this.sender = new MetricSender(this::deliverMetrics);
        this.api.onFirstFailure(m -> notices.accept("MLflow server " + settings.baseUri() + ": " + settings.secrets().redact(m)
                + "; then CineLab logs to the local spool " + spool.dir() + " and loses nothing"));
    }

    /**
     * Before the first run exists, a server that refuses the connection or whose host does not
     * resolve is far more likely a wrong URL than an outage: fail at once with {@link Unreachable}
     * (exit 2) instead of retrying and spooling. {@code cinelab run --spool} keeps the spool.
     */
    private volatile boolean failFastBeforeFirstRun;
    private volatile boolean anyRun;

    public void failFastBeforeFirstRun(boolean failFast) { this.failFastBeforeFirstRun = failFast; }

    /** The server cannot be reached before anything was logged (a wrong URL, most likely). CLI exit code 2. */
    public static final class Unreachable extends IOException {
        Unreachable(String message, Throwable cause) { super(message, cause); }
    }

    private void checkReachableBeforeFirstRun() throws IOException {
        if (!failFastBeforeFirstRun || anyRun || spooling) return;
        try {
            probe.experimentByName("Default");
        } catch (IOException e) {
            if (!RestApi.isRefused(e)) return;
            throw new Unreachable("cannot reach the MLflow server " + settings.baseUri() + ": " + RestApi.reason(e)
                    + ". Check the URL (--tracking-uri, the spec's tracking.uri, MLFLOW_TRACKING_URI); to log to a local spool"
                    + " until the server is up, run with --spool", e);
        }
    }

    public RestSettings settings() {
        return settings;
    }

    /** True once the server was given up on and logging went to the spool. */
    public boolean isSpooling() {
        return spooling;
    }

    public Path spoolDir() {
        return spool.dir();
    }

    @Override
    public String location() { return "MLflow tracking server " + settings.baseUri(); }

    @Override
    public String describe() {
        return "MLflow tracking server " + settings.baseUri() + " (open it in a browser)"
                + (spooling ? "; unreachable, logging to the spool " + spool.dir() : "");
    }

    // ---------------------------------------------------------------- experiments

    @Override
    public String getOrCreateExperiment(String name, Map<String, String> tags) throws IOException {
        MlflowNames.validateExperimentName(name);
        Map<String, String> clean = cleanTags("experiment tag key", tags);
        checkReachableBeforeFirstRun();
        if (!spooling) {
            try {
                Optional<ExperimentInfo> found = api.experimentByName(name);
                if (found.isEmpty()) {
                    try {
                        String id = api.createExperiment(name, clean);
                        experimentNames.put(id, name);
                        return id;
                    } catch (MlflowServerException e) {
                        if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) throw e;
                        found = api.experimentByName(name);
                        if (found.isEmpty()) throw e;
                    }
                }
                ExperimentInfo existing = found.get();
                if (!existing.isActive()) {
                    throw new IllegalStateException("experiment '" + name + "' (id " + existing.experimentId()
                            + ") exists on " + settings.baseUri() + " but is deleted; MLflow keeps the names of "
                            + "deleted experiments: restore it (mlflow experiments restore --experiment-id "
                            + existing.experimentId() + "), or choose another experiment name");
                }
                experimentNames.put(existing.experimentId(), name);
                return existing.experimentId();
            } catch (ServerUnavailableException e) {
                startSpooling(e);
            }
        }
        String id = spool.store().getOrCreateExperiment(name, clean);
        spoolExperiments.add(id);
        return id;
    }

    @Override
    public Optional<ExperimentInfo> findExperimentByName(String name) throws IOException {
        if (!spooling) {
            try {
                return api.experimentByName(name);
            } catch (ServerUnavailableException e) {
                startSpooling(e);
            }
        }
        return spool.store().findExperimentByName(name);
    }

    // ---------------------------------------------------------------- runs

    @Override
    public String createRun(String experimentId, String runName, long startTimeMs, Map<String, String> tags)
            throws IOException {
        Map<String, String> clean = cleanTags("tag key", tags);
        String name = runName == null ? null : settings.secrets().redact(runName);
        String tagName = clean.get(MlflowFileStore.RUN_NAME_TAG);
        if (name != null && !name.isBlank() && tagName != null && !tagName.equals(name)) {
            throw new IllegalArgumentException("run name '" + name + "' and tag " + MlflowFileStore.RUN_NAME_TAG + "='"
                    + tagName + "' differ; give one of them, or the same value in both");
        }
        checkReachableBeforeFirstRun();
        anyRun = true;
        if (!spoolExperiments.contains(experimentId) && !spooling) {
            try {
                RunInfo info = api.createRun(experimentId, name, startTimeMs, clean);
                serverRuns.put(info.runId(), new RunContext(experimentId, info.runName(), startTimeMs, info.artifactUri()));
                return info.runId();
            } catch (ServerUnavailableException e) {
                startSpooling(e);
            }
        }
        String spoolExperiment = spoolExperiments.contains(experimentId) ? experimentId
                : spool.experimentFor(experimentId, experimentNames.get(experimentId));
        String id = spool.store().createRun(spoolExperiment, name, startTimeMs, clean);
        spoolRunExperiment.put(id, experimentId);
        return id;
    }

    @Override
    public void logParams(String runId, Map<String, String> params) throws IOException {
        Map<String, String> clean = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : params.entrySet()) {
            MlflowNames.validateKey("param key", p.getKey());
            clean.put(p.getKey(), MlflowNames.truncate("param", p.getKey(), settings.secrets().redact(p.getValue()),
                    MlflowNames.MAX_PARAM_VALUE_LENGTH));
        }
        write(runId, () -> api.logParamsAndTags(runId, clean, Map.of()), (store, id) -> store.logParams(id, clean));
    }

    @Override
    public void setTags(String runId, Map<String, String> tags) throws IOException {
        Map<String, String> clean = cleanTags("tag key", tags);
        write(runId, () -> api.logParamsAndTags(runId, Map.of(), clean), (store, id) -> store.setTags(id, clean));
    }

    /** Queues the points and returns at once; keys and timestamps are checked here, so mistakes surface in the caller. */
    @Override
    public void logMetrics(String runId, List<MetricPoint> points) throws IOException {
        for (MetricPoint p : points) {
            MlflowNames.validateKey("metric key", p.key());
            if (p.timestampMs() < 0) {
                throw new IllegalArgumentException("metric '" + p.key() + "' has timestamp " + p.timestampMs()
                        + "; MLflow needs milliseconds since the epoch (>= 0)");
            }
        }
        MlflowNames.validateRunId(runId);
        sender.submit(runId, List.copyOf(points));
    }

    private void deliverMetrics(String runId, List<MetricPoint> points) throws IOException {
        write(runId, () -> api.logMetrics(runId, points), (store, id) -> store.logMetrics(id, points));
    }

    /** Waits until every queued metric point is delivered (to the server, or to the spool). */
    @Override
    public void flush() throws IOException {
        sender.flush();
    }

    /** Uploads through the server's artifact proxy, with known secrets masked in the content. */
    @Override
    public void logArtifact(String runId, String artifactPath, Path localFile) throws IOException {
        if (artifactPath == null || artifactPath.isBlank() || artifactPath.startsWith("/")
                || List.of(artifactPath.split("[/\\\\]")).contains("..")) {
            throw new IllegalArgumentException("artifact path '" + artifactPath
                    + "' must be a relative path inside the run's artifacts, like 'reports/summary.txt'");
        }
        if (!Files.isRegularFile(localFile)) {
            throw new IllegalArgumentException("artifact source " + localFile + " is not a readable file");
        }
        byte[] content = settings.secrets().redact(Files.readAllBytes(localFile));
        write(runId, () -> api.uploadArtifact(artifactUri(runId), artifactPath, content), (store, id) -> {
            Path copy = Files.createTempFile("cinelab-artifact", ".tmp");
            try {
                Files.write(copy, content);
                store.logArtifact(id, artifactPath, copy);
            } finally {
                Files.deleteIfExists(copy);
            }
        });
    }

    /** A terminal status first waits until the run's queued metrics are delivered. */
    @Override
    public void setRunStatus(String runId, RunStatus status, Long endTimeMs) throws IOException {
        if (status.isTerminal()) sender.flush();
        write(runId, () -> api.updateRun(runId, status, endTimeMs), (store, id) -> store.setRunStatus(id, status, endTimeMs));
    }

    private String artifactUri(String runId) throws IOException {
        RunContext context = serverRuns.get(runId);
        if (context != null && context.artifactUri() != null && !context.artifactUri().isEmpty()) return context.artifactUri();
        RestApi.RunData run = api.getRun(runId).orElseThrow(() -> new IOException("run " + runId + " does not exist on "
                + settings.baseUri()));
        serverRuns.put(runId, new RunContext(run.info().experimentId(), run.info().runName(), run.info().startTimeMs(),
                run.info().artifactUri()));
        return run.info().artifactUri();
    }

    // ---------------------------------------------------------------- readers

    @Override
    public Optional<RunInfo> getRun(String runId) throws IOException {
        if (isSpoolRun(runId)) return spool.store().getRun(runId);
        Optional<RestApi.RunData> run = serverRun(runId);
        if (run != null) return run.map(RestApi.RunData::info);
        Optional<String> mirror = spool.existingMirror(runId);
        if (mirror.isEmpty()) throw unavailable(runId);
        return spool.store().getRun(mirror.get()).map(r -> new RunInfo(runId, r.experimentId(), r.runName(), r.userId(),
                r.status(), r.startTimeMs(), r.endTimeMs(), r.artifactUri(), r.lifecycleStage()));
    }

    @Override
    public List<RunInfo> listRuns(String experimentId) throws IOException {
        if (spoolExperiments.contains(experimentId)) return spool.store().listRuns(experimentId);
        List<RunInfo> runs = new ArrayList<>();
        try {
            for (RestApi.RunData run : reader().searchRuns(List.of(experimentId), "")) runs.add(run.info());
        } catch (ServerUnavailableException e) {
            startSpooling(e);
        }
        for (Map.Entry<String, String> own : spoolRunExperiment.entrySet()) {
            if (own.getValue().equals(experimentId)) spool.store().getRun(own.getKey()).ifPresent(runs::add);
        }
        return runs;
    }

    @Override
    public Map<String, String> getParams(String runId) throws IOException {
        if (isSpoolRun(runId)) return spool.store().getParams(runId);
        Map<String, String> params = new TreeMap<>();
        Optional<RestApi.RunData> run = serverRun(runId);
        if (run != null) run.ifPresent(r -> params.putAll(r.params()));
        Optional<String> mirror = spool.existingMirror(runId);
        if (mirror.isPresent()) params.putAll(spool.store().getParams(mirror.get()));
        else if (run == null) throw unavailable(runId);
        return params;
    }

    @Override
    public Map<String, String> getTags(String runId) throws IOException {
        if (isSpoolRun(runId)) return spool.store().getTags(runId);
        Map<String, String> tags = new TreeMap<>();
        Optional<RestApi.RunData> run = serverRun(runId);
        if (run != null) run.ifPresent(r -> tags.putAll(r.tags()));
        Optional<String> mirror = spool.existingMirror(runId);
        if (mirror.isPresent()) {
            spool.store().getTags(mirror.get()).forEach((k, v) -> { if (!SYNC_TAGS.contains(k)) tags.put(k, v); });
        } else if (run == null) {
            throw unavailable(runId);
        }
        return tags;
    }

    /**
     * Waits for queued metrics first, so a run reads what was logged to it. While spooling, the
     * points are the server's (if it answers at once) plus the spool's; none when neither has any.
     */
    @Override
    public List<MetricPoint> getMetricHistory(String runId, String key) throws IOException {
        MlflowNames.validateKey("metric key", key);
        sender.flush();
        if (isSpoolRun(runId)) return spool.store().getMetricHistory(runId, key);
        List<MetricPoint> points = new ArrayList<>();
        try {
            points.addAll(reader().metricHistory(runId, key));
        } catch (ServerUnavailableException e) {
            startSpooling(e);
        }
        Optional<String> mirror = spool.existingMirror(runId);
        if (mirror.isPresent()) points.addAll(spool.store().getMetricHistory(mirror.get(), key));
        return points;
    }

    @Override
    public List<String> getMetricKeys(String runId) throws IOException {
        sender.flush();
        if (isSpoolRun(runId)) return spool.store().getMetricKeys(runId);
        Set<String> keys = new LinkedHashSet<>();
        Optional<RestApi.RunData> run = serverRun(runId);
        if (run != null) run.ifPresent(r -> keys.addAll(r.metricKeys()));
        Optional<String> mirror = spool.existingMirror(runId);
        if (mirror.isPresent()) keys.addAll(spool.store().getMetricKeys(mirror.get()));
        return keys.stream().sorted().toList();
    }

    /**
     * The server evaluates the filter and the order ({@code runs/search}); clauses MLflow cannot evaluate
     * (params compared as numbers) are applied here to what it returns. While spooling, or for
     * experiments that exist only in the spool, the search runs on this machine.
     */
    @Override
    public List<RunRecord> searchRuns(RunQuery query) throws IOException {
        if (spooling || query.experimentIds().stream().anyMatch(spoolExperiments::contains)) return RunSearch.inMemory(this, query);
        sender.flush();
        RunFilter local = query.filter().clientOnly();
        List<RestApi.RunData> found;
        try {
            found = api.searchRuns(query.experimentIds(), query.filter().forServer(),
                    query.orderBy().stream().map(RunOrder::forServer).toList(), local.isEmpty() ? query.maxResults() : Integer.MAX_VALUE);
        } catch (ServerUnavailableException e) {
            startSpooling(e);
            return RunSearch.inMemory(this, query);
        }
        List<RunRecord> out = new ArrayList<>();
        for (RestApi.RunData d : found) {
            RunRecord run = new RunRecord(d.info(), d.params(), d.tags(), d.metrics());
            if (local.matches(run)) out.add(run);
            if (out.size() >= query.maxResults()) break;
        }
        return out;
    }

    @Override
    public List<ExperimentInfo> listExperiments() throws IOException {
        if (!spooling) {
            try {
                return api.listExperiments();
            } catch (ServerUnavailableException e) {
                startSpooling(e);
            }
        }
        return spool.store().listExperiments();
    }

    /** Downloads through the server's artifact proxy; runs kept in the spool are read from it. */
    @Override
    public Optional<byte[]> readArtifact(String runId, String artifactPath) throws IOException {
        if (isSpoolRun(runId)) return spool.store().readArtifact(runId, artifactPath);
        Optional<RestApi.RunData> run = serverRun(runId);
        if (run == null) {
            Optional<String> mirror = spool.existingMirror(runId);
            if (mirror.isEmpty()) throw unavailable(runId);
            return spool.store().readArtifact(mirror.get(), artifactPath);
        }
        if (run.isEmpty()) return Optional.empty();
        String uri = run.get().info().artifactUri();
        if (uri != null && uri.startsWith("mlflow-artifacts:")) return api.downloadArtifact(uri, artifactPath);
        return RunSearch.readLocalArtifact(this, runId, artifactPath);
    }

    /** The run as the server has it, or null when the server is unreachable (and the tracker now spools). */
    private Optional<RestApi.RunData> serverRun(String runId) throws IOException {
        try {
            return reader().getRun(runId);
        } catch (ServerUnavailableException e) {
            startSpooling(e);
            return null;
        }
    }

    private RestApi reader() {
        return spooling ? probe : api;
    }

    private IOException unavailable(String runId) {
        return new IOException("run " + runId + " cannot be read: MLflow server " + settings.baseUri()
                + " is unreachable and the spool " + spool.dir() + " has nothing for it");
    }

    // ---------------------------------------------------------------- routing between server and spool

    private interface ServerWrite {
        void run() throws IOException;
    }

    private interface SpoolWrite {
        void run(MlflowFileStore store, String spoolRunId) throws IOException;
    }

    /** Runs created in the spool stay there; others go to the server, or to their spool mirror once it is down. */
    private void write(String runId, ServerWrite server, SpoolWrite local) throws IOException {
        if (isSpoolRun(runId)) {
            local.run(spool.store(), runId);
            return;
        }
        if (!spooling) {
            try {
                server.run();
                return;
            } catch (ServerUnavailableException e) {
                startSpooling(e);
            }
        }
        RunContext context = serverRuns.get(runId);
        String experimentId = context != null ? context.experimentId() : "unknown";
        String mirror = spool.mirrorOf(runId, experimentId, experimentNames.get(experimentId),
                context != null ? context.runName() : null,
                context != null ? context.startTimeMs() : System.currentTimeMillis());
        local.run(spool.store(), mirror);
    }

    private boolean isSpoolRun(String runId) throws IOException {
        if (spoolRunExperiment.containsKey(runId)) return true;
        if (serverRuns.containsKey(runId)) return false;
        if (spool.ownsRun(runId)) {
            spoolRunExperiment.put(runId, "unknown");
            return true;
        }
        serverRuns.putIfAbsent(runId, new RunContext("unknown", null, System.currentTimeMillis(), null));
        return false;
    }

    private synchronized void startSpooling(ServerUnavailableException cause) {
        if (spooling) return;
        spooling = true;
        notices.accept("MLflow server " + settings.baseUri() + " is unreachable (" + settings.secrets().redact(
                cause.getMessage()) + "); CineLab keeps logging to the local spool " + spool.dir()
                + " and loses nothing. When the server is back, run: cinelab sync " + spool.dir() + " --to "
                + settings.baseUri());
    }

    private Map<String, String> cleanTags(String kind, Map<String, String> tags) {
        Map<String, String> clean = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : tags.entrySet()) {
            MlflowNames.validateKey(kind, t.getKey());
            clean.put(t.getKey(), MlflowNames.truncate("tag", t.getKey(), settings.secrets().redact(t.getValue()),
                    MlflowNames.MAX_TAG_VALUE_LENGTH));
        }
        return clean;
    }

    /**
     * Delivers queued metrics, then, if this tracker spooled and the server answers again, replays
     * the spool (idempotently) and says so; otherwise repeats how to replay it later.
     */
    @Override
    public void close() throws IOException {
        try {
            sender.close();
        } finally {
            try {
                if (spooling && syncOnClose) syncSpool();
            } finally {
                api.close();
                probe.close();
            }
        }
    }

    private void syncSpool() {
        String later = "run later: cinelab sync " + spool.dir() + " --to " + settings.baseUri();
        if (!api.isHealthy()) {
            notices.accept("MLflow server " + settings.baseUri() + " is still unreachable; the spool " + spool.dir()
                    + " holds what was not sent: " + later);
            return;
        }
        StoreSync.Report report;
        try {
            report = new StoreSync(api, s -> LOG.info(s)).sync(spool.store());
        } catch (IOException | RuntimeException e) {
            notices.accept("Could not sync the spool " + spool.dir() + " to " + settings.baseUri() + " ("
                    + settings.secrets().redact(String.valueOf(e.getMessage())) + "); " + later);
            return;
        }
        String cleanup;
        try {
            cleanup = SpoolRemoval.afterFullReplay(spool.store()).description();
        } catch (IOException | RuntimeException e) {
            cleanup = "could not remove it (" + e.getMessage() + "); it is safe to delete";
        }
        notices.accept("MLflow server " + settings.baseUri() + " is back: spool " + spool.dir() + " synced ("
                + report.summary() + "); " + cleanup);
    }
}
