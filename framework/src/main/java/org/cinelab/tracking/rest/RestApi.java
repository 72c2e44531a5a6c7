package org.cinelab.tracking.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.util.JsonFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLflow REST calls CineLab makes, each safe to retry: experiments, runs, params, tags and
 * metrics go through the official Java client ({@link OfficialClient}); three calls are sent
 * directly, each for a reason the client cannot handle:
 * <ul>
 *   <li>artifact upload ({@code PUT /api/2.0/mlflow-artifacts/artifacts/...}) over
 *       {@link HttpClient}, because the client shells out to a Python MLflow for artifacts;</li>
 *   <li>{@code metrics/get-history} through the client's raw {@code sendGet}, because its
 *       {@code getMetricHistory} throws on the second page (it appends to an unmodifiable list) and
 *       3.x servers page;</li>
 *   <li>{@code runs/update} back to RUNNING through {@code sendPost}, because the client's
 *       {@code setTerminated} always sends an end time.</li>
 * </ul>
 * {@code log-batch} is split to the server's limits (1000 metrics, 100 params, 100 tags, 1000 in
 * all). Unreachable servers, timeouts and 5xx are retried with backoff per {@link RetryPolicy};
 * calls that may have reached the server before failing are made idempotent: a retried
 * {@code runs/create} first looks for the run it may have created, a retried metric batch drops
 * the points the server already has. When every attempt fails, {@link ServerUnavailableException}.
 */
public final class RestApi implements AutoCloseable {
    public static final int MAX_METRICS_PER_BATCH = 1000;
    public static final int MAX_PARAMS_PER_BATCH = 100;
    public static final int MAX_TAGS_PER_BATCH = 100;
    public static final int MAX_ENTITIES_PER_BATCH = 1000;
    static final int HISTORY_PAGE_SIZE = 25_000;
    private static final int SEARCH_PAGE_SIZE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);

    /** A run with its params, tags and its metrics' latest values, as {@code runs/get} and {@code runs/search} return it. */
    public record RunData(RunInfo info, Map<String, String> params, Map<String, String> tags, Map<String, Double> metrics) {
        public List<String> metricKeys() { return List.copyOf(metrics.keySet()); }
    }

    private final RestSettings settings;
    private final MlflowClient client;
    private final HttpClient http;
    private final Sleeper sleeper;

    /** Waits between attempts; tests substitute it. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public RestApi(RestSettings settings) {
        this(settings, d -> Thread.sleep(d.toMillis()));
    }

    RestApi(RestSettings settings, Sleeper sleeper) {
        this.settings = settings;
        this.client = OfficialClient.create(settings);
        this.http = httpClient(settings);
        this.sleeper = sleeper;
    }

    /** Told once when a call first fails in a way that will be retried (and again after a later success): what and where. */
    private volatile java.util.function.Consumer<String> onFirstFailure = m -> { };
    private volatile boolean failing;

    void onFirstFailure(java.util.function.Consumer<String> listener) { this.onFirstFailure = listener; }

    /** Whether {@code e} (as thrown by a call) means nothing listens there or the host does not exist: a wrong URL more likely than an outage. */
    static boolean isRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.nio.channels.UnresolvedAddressException) return true;
        }
        return false;
    }

    /** "connection refused", "no such host", "timed out", "HTTP 503": what went wrong, in words. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) return "connection refused (nothing listens there)";
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return "the host name does not resolve";
            }
            if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException) return "timed out";
            if (t instanceof MlflowServerException m) return m.getMessage();
        }
        Throwable deepest = e;
        while (deepest.getCause() != null && deepest.getCause() != deepest) deepest = deepest.getCause();
        String m = deepest.getMessage();
        return m == null || m.isBlank() ? "no answer" : m.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + m.substring(1);
    }

    public RestSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- experiments

    public Optional<ExperimentInfo> experimentByName(String name) throws IOException {
        return retrying("experiments/get-by-name", attempt -> client.getExperimentByName(name).map(RestApi::experiment));
    }

    /** Creates the experiment; a name that exists already fails with {@code RESOURCE_ALREADY_EXISTS}. */
    public String createExperiment(String name, Map<String, String> tags) throws IOException {
        Service.CreateExperiment.Builder request = Service.CreateExperiment.newBuilder().setName(name);
        tags.forEach((k, v) -> request.addTags(Service.ExperimentTag.newBuilder().setKey(k).setValue(v)));
        return retrying("experiments/create", attempt -> {
            if (attempt > 1) {
                Optional<Service.Experiment> made = client.getExperimentByName(name);
                if (made.isPresent()) return made.get().getExperimentId();
            }
            return client.createExperiment(request.build());
        });
    }

    // ---------------------------------------------------------------- runs

    /**
     * {@code runs/create}; a retry first looks for a run of this name and start time that an earlier attempt made.
     * The run's {@code user_id} is the tag {@code mlflow.user}, else the local user, as MLflow's Python
     * client and CineLab's file store set it (the server leaves it empty when the request has none).
     */
    public RunInfo createRun(String experimentId, String runName, long startTimeMs, Map<String, String> tags)
            throws IOException {
        return createRun(experimentId, runName, startTimeMs, tags, defaultUser(tags));
    }

    /** {@code runs/create} with an explicit {@code user_id} (a synced run keeps the one it was logged with). */
    public RunInfo createRun(String experimentId, String runName, long startTimeMs, Map<String, String> tags,
                             String userId) throws IOException {
        Service.CreateRun.Builder request = Service.CreateRun.newBuilder().setExperimentId(experimentId)
                .setStartTime(startTimeMs).setUserId(userId == null ? "" : userId);
        if (runName != null) request.setRunName(runName);
        tags.forEach((k, v) -> request.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
        return retrying("runs/create", attempt -> {
            if (attempt > 1 && runName != null) {
                for (RunData existing : searchRunsOnce(List.of(experimentId), "attributes.run_name = " + quote(runName))) {
                    if (existing.info().startTimeMs() == startTimeMs
                            && java.util.Objects.equals(existing.tags().get("mlflow.parentRunId"), tags.get("mlflow.parentRunId"))) {
                        LOG.info("Run '{}' was created by an earlier attempt; using {}", runName, existing.info().runId());
                        return existing.info();
                    }
                }
            }
            return runInfo(client.createRun(request.build()));
        });
    }

    static String defaultUser(Map<String, String> tags) {
        return tags.getOrDefault(MlflowFileStore.USER_TAG, System.getProperty("user.name", ""));
    }

    public void updateRun(String runId, RunStatus status, Long endTimeMs) throws IOException {
        retrying("runs/update", attempt -> {
            if (endTimeMs != null) {
                client.setTerminated(runId, Service.RunStatus.valueOf(status.name()), endTimeMs);
            } else {
                ObjectNode body = JSON.createObjectNode().put("run_id", runId).put("status", status.name());
                client.sendPost("runs/update", body.toString());
            }
            return null;
        });
    }

    public Optional<RunData> getRun(String runId) throws IOException {
        return retrying("runs/get", attempt -> {
            try {
                return Optional.of(runData(client.getRun(runId)));
            } catch (MlflowHttpException e) {
                if (e.getStatusCode() == 404) return Optional.empty();
                throw e;
            }
        });
    }

    /** Every active run matching {@code filter} (MLflow's search syntax; empty for all), following pages. */
    public List<RunData> searchRuns(List<String> experimentIds, String filter) throws IOException {
        return retrying("runs/search", attempt -> searchRunsOnce(experimentIds, filter));
    }

    private List<RunData> searchRunsOnce(List<String> experimentIds, String filter) {
        List<RunData> runs = new ArrayList<>();
        RunsPage page = client.searchRuns(experimentIds, filter, Service.ViewType.ACTIVE_ONLY, SEARCH_PAGE_SIZE,
                List.of("attributes.start_time ASC"));
        while (true) {
            for (Service.Run run : page.getItems()) runs.add(runData(run));
            Optional<String> token = page.getNextPageToken();
            if (token.isEmpty() || token.get().isEmpty() || page.getItems().isEmpty()) return runs;
            page = client.searchRuns(experimentIds, filter, Service.ViewType.ACTIVE_ONLY, SEARCH_PAGE_SIZE,
                    List.of("attributes.start_time ASC"), token.get());
        }
    }

    /**
     * At most {@code maxResults} active runs matching {@code filter}, in {@code orderBy} order (MLflow's
     * syntax, e.g. {@code metrics.rmse ASC}), following pages. The server evaluates filter and order.
     */
    public List<RunData> searchRuns(List<String> experimentIds, String filter, List<String> orderBy, int maxResults) throws IOException {
        return retrying("runs/search", attempt -> {
            List<RunData> runs = new ArrayList<>();
            int pageSize = Math.min(SEARCH_PAGE_SIZE, maxResults);
            RunsPage page = client.searchRuns(experimentIds, filter, Service.ViewType.ACTIVE_ONLY, pageSize, orderBy);
            while (true) {
                for (Service.Run run : page.getItems()) {
                    if (runs.size() < maxResults) runs.add(runData(run));
                }
                Optional<String> token = page.getNextPageToken();
                if (runs.size() >= maxResults || token.isEmpty() || token.get().isEmpty() || page.getItems().isEmpty()) return runs;
                page = client.searchRuns(experimentIds, filter, Service.ViewType.ACTIVE_ONLY, pageSize, orderBy, token.get());
            }
        });
    }

    /** Every active experiment, following pages. */
    public List<ExperimentInfo> listExperiments() throws IOException {
        return retrying("experiments/search", attempt -> {
            List<ExperimentInfo> out = new ArrayList<>();
            org.mlflow.tracking.ExperimentsPage page = client.searchExperiments("", Service.ViewType.ACTIVE_ONLY, SEARCH_PAGE_SIZE, List.of());
            while (true) {
                for (Service.Experiment e : page.getItems()) out.add(experiment(e));
                Optional<String> token = page.getNextPageToken();
                if (token.isEmpty() || token.get().isEmpty() || page.getItems().isEmpty()) return out;
                page = client.searchExperiments("", Service.ViewType.ACTIVE_ONLY, SEARCH_PAGE_SIZE, List.of(), token.get());
            }
        });
    }

    // ---------------------------------------------------------------- params, tags, metrics

    /** Params and tags in {@code log-batch} requests of at most 100 of each. Params that exist with the same value are accepted by MLflow. */
    public void logParamsAndTags(String runId, Map<String, String> params, Map<String, String> tags) throws IOException {
        List<Service.Param> ps = new ArrayList<>();
        params.forEach((k, v) -> ps.add(Service.Param.newBuilder().setKey(k).setValue(v).build()));
        List<Service.RunTag> ts = new ArrayList<>();
        tags.forEach((k, v) -> ts.add(Service.RunTag.newBuilder().setKey(k).setValue(v).build()));
        for (int p = 0, t = 0; p < ps.size() || t < ts.size(); ) {
            List<Service.Param> paramChunk = ps.subList(p, Math.min(ps.size(), p + MAX_PARAMS_PER_BATCH));
            List<Service.RunTag> tagChunk = ts.subList(t, Math.min(ts.size(), t + MAX_TAGS_PER_BATCH));
            retrying("runs/log-batch (params, tags)", attempt -> {
                client.logBatch(runId, List.of(), paramChunk, tagChunk);
                return null;
            });
            p += paramChunk.size();
            t += tagChunk.size();
        }
    }

    /**
     * Metric points in {@code log-batch} requests of at most 1000. A retry after a failure that may
     * have reached the server sends only the points the server does not have yet.
     */
    public void logMetrics(String runId, List<MetricPoint> points) throws IOException {
        for (int from = 0; from < points.size(); from += MAX_METRICS_PER_BATCH) {
            List<MetricPoint> chunk = points.subList(from, Math.min(points.size(), from + MAX_METRICS_PER_BATCH));
            retrying("runs/log-batch (" + chunk.size() + " metric points)", attempt -> {
                List<MetricPoint> toSend = attempt == 1 ? chunk : missingOnServer(runId, chunk);
                if (!toSend.isEmpty()) client.logBatch(runId, toProto(toSend), List.of(), List.of());
                return null;
            });
        }
    }

    /**
     * The points of {@code points} that the run's history lacks, compared by (key, step, timestamp,
     * value) and counted, so a point logged twice on purpose is sent twice.
     */
    public List<MetricPoint> missingOnServer(String runId, List<MetricPoint> points) throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        for (MetricPoint p : points) keys.add(p.key());
        Map<PointKey, Integer> present = new HashMap<>();
        for (String key : keys) for (MetricPoint p : historyOnce(runId, key)) present.merge(PointKey.of(p), 1, Integer::sum);
        List<MetricPoint> missing = new ArrayList<>();
        for (MetricPoint p : points) {
            if (present.merge(PointKey.of(p), -1, Integer::sum) < 0) missing.add(p);
        }
        return missing;
    }

    /**
     * A point's identity for de-duplication. Values compare by their bits, with ±infinity equal
     * to ±{@link Double#MAX_VALUE}, which is how MLflow's SQL stores give infinity back.
     */
    record PointKey(String key, long step, long timestamp, long valueBits) {
        static PointKey of(MetricPoint p) {
            double v = p.value();
            if (v == Double.POSITIVE_INFINITY) v = Double.MAX_VALUE;
            if (v == Double.NEGATIVE_INFINITY) v = -Double.MAX_VALUE;
            return new PointKey(p.key(), p.step(), p.timestampMs(), Double.doubleToLongBits(v));
        }
    }

    /** Every point of a metric: always sends {@code max_results} (3.x answers nothing without it) and follows pages. */
    public List<MetricPoint> metricHistory(String runId, String key) throws IOException {
        return retrying("metrics/get-history", attempt -> historyOnce(runId, key));
    }

    private List<MetricPoint> historyOnce(String runId, String key) throws IOException {
        List<MetricPoint> points = new ArrayList<>();
        String token = null;
        do {
            String path = "metrics/get-history?run_id=" + encode(runId) + "&metric_key=" + encode(key)
                    + "&max_results=" + HISTORY_PAGE_SIZE + (token == null ? "" : "&page_token=" + encode(token));
            Service.GetMetricHistory.Response.Builder page = Service.GetMetricHistory.Response.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(client.sendGet(path), page);
            for (Service.Metric m : page.getMetricsList()) points.add(metricPoint(m));
            token = page.getMetricsCount() == 0 || page.getNextPageToken().isEmpty() ? null : page.getNextPageToken();
        } while (token != null);
        return points;
    }

    // ---------------------------------------------------------------- artifacts

    /**
     * Uploads one file through the server's artifact proxy. The run's {@code artifact_uri} must be
     * {@code mlflow-artifacts:} (the default of {@code mlflow server} since 2.0); its authority, if
     * any, names the host to upload to.
     */
    public void uploadArtifact(String artifactUri, String artifactPath, byte[] content) throws IOException {
        URI target = artifactTarget(artifactUri, artifactPath);
        retrying("artifact upload " + artifactPath, attempt -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(settings.requestTimeout())
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
            String auth = settings.authorizationHeader();
            if (auth != null) request.header("Authorization", auth);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) throw serverError(response.statusCode(), response.body());
            return null;
        });
    }

    /** One file through the server's artifact proxy ({@code GET}); empty when the server has no such file. */
    public Optional<byte[]> downloadArtifact(String artifactUri, String artifactPath) throws IOException {
        URI source = artifactTarget(artifactUri, artifactPath);
        return retrying("artifact download " + artifactPath, attempt -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(source).timeout(settings.requestTimeout()).GET();
            String auth = settings.authorizationHeader();
            if (auth != null) request.header("Authorization", auth);
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) return Optional.<byte[]>empty();
            if (response.statusCode() / 100 != 2) throw serverError(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
            return Optional.of(response.body());
        });
    }

    URI artifactTarget(String artifactUri, String artifactPath) throws IOException {
        String scheme = "mlflow-artifacts:";
        if (artifactUri == null || !artifactUri.startsWith(scheme)) {
            throw new IOException("run artifact URI '" + artifactUri + "' is not served by the tracking server's "
                    + "artifact proxy; CineLab uploads artifacts only to mlflow-artifacts: locations (start the "
                    + "server with --serve-artifacts, the default since MLflow 2.0)");
        }
        String rest = artifactUri.substring(scheme.length());
        String host = settings.baseUri();
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            String authority = rest.substring(2, slash < 0 ? rest.length() : slash);
            rest = slash < 0 ? "" : rest.substring(slash);
            if (!authority.isEmpty()) host = URI.create(settings.baseUri()).getScheme() + "://" + authority;
        }
        rest = rest.replaceAll("^/+", "").replaceAll("/+$", "");
        StringBuilder url = new StringBuilder(host).append("/api/2.0/mlflow-artifacts/artifacts/");
        for (String part : (rest + "/" + artifactPath).split("/")) {
            if (part.isEmpty()) continue;
            if (part.equals("..") || part.equals(".")) throw new IOException("artifact path '" + artifactPath + "' is not a plain relative path");
            url.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20")).append('/');
        }
        url.setLength(url.length() - 1);
        return URI.create(url.toString());
    }

    /** True when {@code GET /health} answers 2xx within the timeouts (one attempt). */
    public boolean isHealthy() {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.baseUri() + "/health"))
                    .timeout(settings.requestTimeout()).GET();
            String auth = settings.authorizationHeader();
            if (auth != null) request.header("Authorization", auth);
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        client.close();
    }

    // ---------------------------------------------------------------- retries

    interface Attempt<T> {
        T run(int attempt) throws Exception;
    }

    <T> T retrying(String what, Attempt<T> call) throws IOException {
        RetryPolicy policy = settings.retry();
        IOException last = null;
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            if (attempt > 1) {
                Duration delay = policy.delayAfter(attempt - 1);
                LOG.debug("Retrying {} on {} in {} ms (attempt {} of {})", what, settings.baseUri(), delay.toMillis(),
                        attempt, policy.maxAttempts());
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting to retry " + what);
                }
            }
            try {
                T result = call.run(attempt);
                failing = false;
                return result;
            } catch (Exception e) {
                IOException failure = translate(what, e);
                if (!isRetryable(failure)) throw failure;
                last = failure;
                if (attempt == 1 && policy.maxAttempts() > 1 && !failing) {
                    failing = true;
                    onFirstFailure.accept(what + " failed: " + reason(failure) + "; retrying for up to "
                            + seconds(policy) + " (" + policy.maxAttempts() + " attempts, MLFLOW_HTTP_REQUEST_MAX_RETRIES)");
                }
            }
        }
        throw new ServerUnavailableException("MLflow server " + settings.baseUri() + " did not accept " + what
                + " in " + policy.maxAttempts() + " attempt(s): " + last.getMessage(), last);
    }

    private static String seconds(RetryPolicy policy) {
        long total = 0;
        for (int a = 1; a < policy.maxAttempts(); a++) total += policy.delayAfter(a).toSeconds();
        return total >= 60 ? total / 60 + " min " + total % 60 + " s" : total + " s";
    }

    private static boolean isRetryable(IOException e) {
        if (e instanceof MlflowServerException s) return s.isRetryable();
        return !(e instanceof InvalidProtocolBufferException) && !(e instanceof NonRetryable);
    }

    private static final class NonRetryable extends IOException {
        NonRetryable(String message, Throwable cause) { super(message, cause); }
    }

    private IOException translate(String what, Exception e) {
        if (e instanceof MlflowHttpException h) return serverError(h.getStatusCode(), h.getBodyMessage());
        if (e instanceof MlflowServerException s) return s;
        if (e instanceof MlflowClientException c && c.getCause() instanceof IOException io) {
            if (io instanceof InvalidProtocolBufferException) {
                return new NonRetryable(what + ": unexpected answer from " + settings.baseUri() + ": " + io.getMessage(), io);
            }
            return new IOException(what + ": " + reason(io), io);
        }
        if (e instanceof IOException io) return io;
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new NonRetryable("interrupted during " + what, e);
        }
        return new NonRetryable(what + " failed: " + e, e);
    }

    private MlflowServerException serverError(int status, String body) {
        String code = null;
        String message = body == null ? "" : body;
        try {
            JsonNode parsed = JSON.readTree(message);
            if (parsed != null && parsed.hasNonNull("error_code")) {
                code = parsed.get("error_code").asText();
                message = parsed.path("message").asText("");
            }
        } catch (IOException notJson) {
            message = message.length() > 300 ? message.substring(0, 300) + "…" : message;
        }
        return new MlflowServerException("MLflow server " + settings.baseUri() + " answered HTTP " + status
                + (code == null ? "" : " " + code) + ": " + settings.secrets().redact(message), status, code);
    }

    // ---------------------------------------------------------------- conversions

    private static List<Service.Metric> toProto(List<MetricPoint> points) {
        List<Service.Metric> out = new ArrayList<>(points.size());
        for (MetricPoint p : points) {
            out.add(Service.Metric.newBuilder().setKey(p.key()).setValue(p.value()).setTimestamp(p.timestampMs())
                    .setStep(p.step()).build());
        }
        return out;
    }

    static MetricPoint metricPoint(Service.Metric m) {
        return new MetricPoint(m.getKey(), m.getValue(), m.getStep(), m.getTimestamp());
    }

    static RunInfo runInfo(Service.RunInfo r) {
        return new RunInfo(r.getRunId().isEmpty() ? r.getRunUuid() : r.getRunId(), r.getExperimentId(), r.getRunName(),
                r.getUserId(), r.hasStatus() ? RunStatus.valueOf(r.getStatus().name()) : RunStatus.RUNNING,
                r.getStartTime(), r.hasEndTime() ? r.getEndTime() : null, r.getArtifactUri(),
                r.hasLifecycleStage() ? r.getLifecycleStage() : ExperimentInfo.ACTIVE);
    }

    static RunData runData(Service.Run run) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Service.Param p : run.getData().getParamsList()) params.put(p.getKey(), p.getValue());
        Map<String, String> tags = new LinkedHashMap<>();
        for (Service.RunTag t : run.getData().getTagsList()) tags.put(t.getKey(), t.getValue());
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Service.Metric m : run.getData().getMetricsList()) metrics.putIfAbsent(m.getKey(), m.getValue());
        return new RunData(runInfo(run.getInfo()), params, tags, metrics);
    }

    static ExperimentInfo experiment(Service.Experiment e) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Service.ExperimentTag t : e.getTagsList()) tags.put(t.getKey(), t.getValue());
        return new ExperimentInfo(e.getExperimentId(), e.getName(), e.getArtifactLocation(),
                e.hasLifecycleStage() ? e.getLifecycleStage() : ExperimentInfo.ACTIVE,
                e.hasCreationTime() ? e.getCreationTime() : null, e.hasLastUpdateTime() ? e.getLastUpdateTime() : null,
                tags);
    }

    /** A string literal for MLflow's search filter. */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpClient httpClient(RestSettings settings) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (settings.insecureTls()) {
            try {
                builder.sslContext(OfficialClient.trustAll());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot set up insecure TLS: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }
}
