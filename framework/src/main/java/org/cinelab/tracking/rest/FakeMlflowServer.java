package org.cinelab.tracking.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process stand-in for an MLflow tracking server (SQLite backend, proxied artifacts) on
 * {@code 127.0.0.1}, for tests and benchmarks where the real server cannot be installed. It answers
 * the endpoints CineLab uses with the request/response shapes, status codes, {@code error_code}s
 * and limits recorded from real servers ({@code shared/docs/mlflow-rest.md},
 * {@code shared/data/mlflow-golden/transcripts-*.json}): at most 1000 metrics, 100 params, 100 tags
 * and 1000 entities per {@code log-batch} (else 400), immutable params, 404 for unknown runs and
 * experiment names, {@code RESOURCE_ALREADY_EXISTS} for duplicate experiments, ±infinity stored as
 * ±{@code Double.MAX_VALUE}, and {@code metrics/get-history} paging as the chosen {@link Flavor}
 * does. It records every request, can demand credentials, fail on purpose, and be stopped and
 * started again on the same port with its data kept.
 */
public final class FakeMlflowServer implements AutoCloseable {
    /** Which real server to imitate where they differ. */
    public enum Flavor {
        /** MLflow 2.17: plain error bodies, get-history ignores paging. */
        V2_17("2.17.0"),
        /** MLflow 3.x (master): error_class and sqlstate, pages get-history, nothing without max_results. */
        V3("3.11.2.dev0");

        final String version;

        Flavor(String version) { this.version = version; }
    }

    /** One request as received. */
    public record Request(String method, String path, String authorization, String body) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KEY = Pattern.compile("[\\w.\\- :/]*", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String API = "/api/2.0/mlflow/";
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
        // and the client's delayed ACK add ~40 ms to every small answer.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final Flavor flavor;
    private final State state = new State();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger lostAnswersLeft = new AtomicInteger();
    private volatile int failureStatus = 503;
    private volatile String requiredAuthorization;
    private HttpServer server;
    private ExecutorService executor;
    private int port;

    public FakeMlflowServer(Flavor flavor) {
        this.flavor = flavor;
    }

    /** A V3 server on a free port, started. */
    public static FakeMlflowServer started() throws IOException {
        FakeMlflowServer fake = new FakeMlflowServer(Flavor.V3);
        fake.start();
        return fake;
    }

    /** Starts on a free port the first time, on the same port afterwards. */
    public synchronized void start() throws IOException {
        if (server != null) return;
        HttpServer s = null;
        for (int attempt = 0; ; attempt++) {
            try {
                s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
                break;
            } catch (java.net.BindException e) {
                if (port == 0 || attempt >= 50) throw e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-mlflow");
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(executor);
        s.createContext("/", this::handle);
        s.start();
        server = s;
        port = s.getAddress().getPort();
    }

    /** Stops listening (connections are refused) and keeps the data, as a server going down does. */
    public synchronized void stop() {
        if (server == null) return;
        server.stop(0);
        executor.shutdownNow();
        server = null;
    }

    @Override
    public void close() {
        stop();
    }

    public String uri() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    /** The next {@code count} API requests are answered with {@code status} and do nothing. */
    public void failNext(int count, int status) {
        failureStatus = status;
        failuresLeft.set(count);
    }

    /**
     * The next {@code count} API requests are carried out but answered with 502, like a proxy
     * that loses the server's answer: a client that retries blindly duplicates what they did.
     */
    public void loseAnswersOfNext(int count) {
        lostAnswersLeft.set(count);
    }

    /** Requests without exactly this {@code Authorization} header get 401; null accepts all. */
    public void requireAuthorization(String header) {
        requiredAuthorization = header;
    }

    // ---------------------------------------------------------------- inspection for tests

    public synchronized List<String> runIds(String experimentId) {
        return state.runs.values().stream().filter(r -> r.experimentId.equals(experimentId)).map(r -> r.id).toList();
    }

    public synchronized Map<String, String> params(String runId) {
        return new TreeMap<>(state.runs.get(runId).params);
    }

    public synchronized Map<String, String> tags(String runId) {
        return new TreeMap<>(state.runs.get(runId).tags);
    }

    /** Every point of every metric of a run, in arrival order, as {@code key -> [step, timestamp, value]}. */
    public synchronized Map<String, List<double[]>> metrics(String runId) {
        Map<String, List<double[]>> out = new TreeMap<>();
        state.runs.get(runId).metrics.forEach((k, v) -> out.put(k, v.stream()
                .map(p -> new double[] {p.step, p.timestamp, p.value}).toList()));
        return out;
    }

    public synchronized int metricPointCount() {
        return state.runs.values().stream().mapToInt(r -> r.metrics.values().stream().mapToInt(List::size).sum()).sum();
    }

    /** Uploaded artifacts of a run by relative path. */
    public synchronized Map<String, byte[]> artifacts(String runId) {
        Run run = state.runs.get(runId);
        String prefix = run.experimentId + "/" + run.id + "/artifacts/";
        Map<String, byte[]> out = new TreeMap<>();
        state.artifacts.forEach((k, v) -> { if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v); });
        return out;
    }

    public synchronized String experimentId(String name) {
        return state.experiments.values().stream().filter(e -> e.name.equals(name)).map(e -> e.id).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(method, uri.toString(), authorization,
                    new String(body, StandardCharsets.UTF_8)));
            Response response;
            if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
                response = Response.text(401, "text/plain; charset=utf-8", "You are not authenticated. Please see "
                        + "https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.");
            } else if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                response = error(failureStatus, "INTERNAL_ERROR", "injected failure");
            } else {
                try {
                    response = route(method, path, query(uri.getRawQuery()), body);
                    if (path.startsWith(API) && lostAnswersLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        response = Response.text(502, "text/html; charset=utf-8", "<html><body>502 Bad Gateway</body></html>");
                    }
                } catch (ApiError e) {
                    response = error(e.status, e.code, e.getMessage());
                } catch (RuntimeException e) {
                    response = error(500, "INTERNAL_ERROR", e.toString());
                }
            }
            exchange.getResponseHeaders().set("Content-Type", response.contentType);
            exchange.sendResponseHeaders(response.status, response.body.length == 0 ? -1 : response.body.length);
            if (response.body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body);
                }
            }
        }
    }

    private record Response(int status, String contentType, byte[] body) {
        static Response json(int status, JsonNode node) {
            return new Response(status, "application/json", node.toString().getBytes(StandardCharsets.UTF_8));
        }

        static Response text(int status, String type, String text) {
            return new Response(status, type, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final class ApiError extends RuntimeException {
        final int status;
        final String code;

        ApiError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private static ApiError invalid(String message) {
        return new ApiError(400, "INVALID_PARAMETER_VALUE", message);
    }

    private Response error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode().put("error_code", code).put("message", message);
        if (flavor == Flavor.V3) {
            body.put("sqlstate", "KAM00");
            body.put("error_class", code.equals("RESOURCE_DOES_NOT_EXIST") ? "RESOURCE_NOT_FOUND" : code);
        }
        return Response.json(status, body);
    }

    private synchronized Response route(String method, String path, Map<String, List<String>> query, byte[] body)
            throws IOException {
        if (path.equals("/health")) return Response.text(200, "text/html; charset=utf-8", "OK");
        if (path.equals("/version")) return Response.text(200, "text/html; charset=utf-8", flavor.version);
        if (path.startsWith(ARTIFACTS + "/")) return artifact(method, decode(path.substring(ARTIFACTS.length() + 1)), body);
        if (path.equals("/get-artifact")) return download(artifactKey(requireRun(param(query, "run_id", "run_uuid")), one(query, "path")));
        if (!path.startsWith(API)) return Response.text(404, "text/html; charset=utf-8", "<!doctype html><title>404 Not Found</title>");
        String endpoint = path.substring(API.length());
        JsonNode json = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        return switch (method + " " + endpoint) {
            case "GET experiments/get-by-name" -> experimentByName(one(query, "experiment_name"));
            case "GET experiments/get" -> Response.json(200, JSON.createObjectNode().set("experiment",
                    requireExperiment(one(query, "experiment_id")).toJson()));
            case "POST experiments/create" -> createExperiment(json);
            case "POST experiments/search", "GET experiments/search" -> searchExperiments();
            case "POST runs/create" -> createRun(json);
            case "POST runs/log-batch" -> logBatch(json);
            case "POST runs/log-metric" -> logBatch(wrap(json, "metrics", "metrics[0].name", "name"));
            case "POST runs/log-parameter" -> logBatch(wrap(json, "params", null, null));
            case "POST runs/set-tag" -> logBatch(wrap(json, "tags", null, null));
            case "POST runs/update" -> updateRun(json);
            case "GET runs/get" -> Response.json(200, JSON.createObjectNode().set("run",
                    runJson(requireRun(param(query, "run_id", "run_uuid")), true)));
            case "POST runs/search" -> searchRuns(json);
            case "GET metrics/get-history" -> history(query);
            case "GET artifacts/list" -> listArtifacts(requireRun(param(query, "run_id", "run_uuid")),
                    query.containsKey("path") ? one(query, "path") : "");
            default -> Response.text(404, "text/html; charset=utf-8", "<!doctype html><title>404 Not Found</title>");
        };
    }

    // ---------------------------------------------------------------- experiments

    private Response experimentByName(String name) {
        Experiment e = state.experiments.values().stream().filter(x -> x.name.equals(name)).findFirst()
                .orElseThrow(() -> new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Could not find experiment with name '" + name + "'"));
        return Response.json(200, JSON.createObjectNode().set("experiment", e.toJson()));
    }

    private Response createExperiment(JsonNode json) {
        String name = json.path("name").asText("");
        if (name.isEmpty()) throw invalid("Missing value for required parameter 'name'. See the API docs for more information about request parameters.");
        if (state.experiments.values().stream().anyMatch(e -> e.name.equals(name))) {
            throw new ApiError(400, "RESOURCE_ALREADY_EXISTS", "Experiment(name=" + name + ") already exists. Error: "
                    + "(sqlite3.IntegrityError) UNIQUE constraint failed: experiments.name");
        }
        Experiment e = state.newExperiment(name);
        for (JsonNode tag : json.path("tags")) e.tags.put(tag.path("key").asText(), tag.path("value").asText());
        return Response.json(200, JSON.createObjectNode().put("experiment_id", e.id));
    }

    private Response searchExperiments() {
        ArrayNode list = JSON.createArrayNode();
        state.experiments.values().stream().sorted(Comparator.comparingLong((Experiment e) -> e.created).reversed()
                .thenComparing(e -> -Long.parseLong(e.id))).forEach(e -> list.add(e.toJson()));
        return Response.json(200, JSON.createObjectNode().set("experiments", list));
    }

    // ---------------------------------------------------------------- runs

    private Response createRun(JsonNode json) {
        String experimentId = json.hasNonNull("experiment_id") ? json.get("experiment_id").asText() : "0";
        Experiment experiment = requireExperiment(experimentId);
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : json.path("tags")) tags.put(tag.path("key").asText(), tag.path("value").asText());
        String name = json.path("run_name").asText("");
        String tagName = tags.get("mlflow.runName");
        if (!name.isEmpty() && tagName != null && !tagName.equals(name)) {
            throw invalid("Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values "
                    + "(run_name='" + name + "', mlflow.runName='" + tagName + "').");
        }
        if (name.isEmpty()) name = tagName != null ? tagName : "fake-run-" + (state.runs.size() + 1);
        tags.put("mlflow.runName", name);
        for (String key : tags.keySet()) checkKey(key, "key");
        Run run = new Run(UUID.randomUUID().toString().replace("-", ""), experiment.id, name,
                int64(json.get("start_time"), System.currentTimeMillis()), json.path("user_id").asText(""));
        run.tags.putAll(tags);
        state.runs.put(run.id, run);
        ObjectNode runJson = runJson(run, false);
        return Response.json(200, JSON.createObjectNode().set("run", runJson));
    }

    /** {@code runs/log-metric}, {@code log-parameter} and {@code set-tag} become one-element batches. */
    private static JsonNode wrap(JsonNode json, String field, String nameField, String renamed) {
        ObjectNode batch = JSON.createObjectNode();
        batch.set("run_id", json.has("run_id") ? json.get("run_id") : json.get("run_uuid"));
        ObjectNode item = ((ObjectNode) json.deepCopy());
        item.remove("run_id");
        item.remove("run_uuid");
        batch.putArray(field).add(item);
        if (renamed != null) batch.put("_single", true);
        return batch;
    }

    private Response logBatch(JsonNode json) {
        JsonNode metrics = json.path("metrics");
        JsonNode params = json.path("params");
        JsonNode tags = json.path("tags");
        if (metrics.size() > 1000) {
            throw invalid("A batch logging request can contain at most 1000 metrics. Got " + metrics.size()
                    + " metrics. Please split up metrics across multiple requests and try again.");
        }
        if (params.size() > 100) {
            throw invalid("A batch logging request can contain at most 100 params. Got " + params.size()
                    + " params. Please split up params across multiple requests and try again.");
        }
        if (tags.size() > 100) {
            throw invalid("A batch logging request can contain at most 100 tags. Got " + tags.size()
                    + " tags. Please split up tags across multiple requests and try again.");
        }
        int total = metrics.size() + params.size() + tags.size();
        if (total > 1000) {
            throw invalid("A batch logging request can contain at most 1000 metrics, params, and tags. Got "
                    + total + " in total. Please split up across multiple requests and try again.");
        }
        Run run = requireRun(json.hasNonNull("run_id") ? json.get("run_id").asText() : json.path("run_uuid").asText(null));
        boolean single = json.path("_single").asBoolean(false);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode m = metrics.get(i);
            checkKey(m.path("key").asText(""), single ? "name" : "metrics[" + i + "].name");
            if (!m.has("value") || !m.has("timestamp")) throw invalid("Missing value for required parameter 'metrics[" + i + "].value'.");
            points.add(new Point(m.path("key").asText(), value(m.get("value")), int64(m.get("timestamp"), 0),
                    int64(m.get("step"), 0)));
        }
        Map<String, String> newParams = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            JsonNode p = params.get(i);
            String key = p.path("key").asText("");
            checkKey(key, "params[" + i + "].key");
            String value = truncate(p.path("value").asText(""), 6000);
            String old = run.params.get(key);
            if (old != null && !old.equals(value)) {
                throw invalid("Changing param values is not allowed. Params were already logged='[{'key': '" + key
                        + "', 'old_value': '" + old + "', 'new_value': '" + value + "'}]' for run ID='" + run.id + "'.");
            }
            newParams.put(key, value);
        }
        for (int i = 0; i < tags.size(); i++) checkKey(tags.get(i).path("key").asText(""), "tags[" + i + "].key");
        run.params.putAll(newParams);
        for (JsonNode t : tags) {
            String key = t.path("key").asText();
            String value = truncate(t.path("value").asText(""), 8000);
            run.tags.put(key, value);
            if (key.equals("mlflow.runName")) run.name = value;
        }
        for (Point p : points) run.metrics.computeIfAbsent(p.key, k -> new ArrayList<>()).add(p);
        return Response.json(200, JSON.createObjectNode());
    }

    private Response updateRun(JsonNode json) {
        Run run = requireRun(json.hasNonNull("run_id") ? json.get("run_id").asText() : json.path("run_uuid").asText(null));
        if (json.hasNonNull("status")) run.status = json.get("status").asText();
        if (json.hasNonNull("end_time")) run.endTime = int64(json.get("end_time"), 0);
        if (json.hasNonNull("run_name")) {
            run.name = json.get("run_name").asText();
            run.tags.put("mlflow.runName", run.name);
        }
        return Response.json(200, JSON.createObjectNode().set("run_info", infoJson(run)));
    }

    private Response searchRuns(JsonNode json) {
        List<String> experimentIds = new ArrayList<>();
        for (JsonNode id : json.path("experiment_ids")) experimentIds.add(id.asText());
        String viewType = json.path("run_view_type").asText("ACTIVE_ONLY");
        Predicate<Run> filter = Filter.parse(json.path("filter").asText(""));
        int max = json.path("max_results").asInt(1000);
        if (max > 50000) throw invalid("Invalid value " + max + " for parameter 'max_results' supplied. It must be at most 50000");
        List<Run> matching = new ArrayList<>(state.runs.values().stream()
                .filter(r -> experimentIds.contains(r.experimentId))
                .filter(r -> viewType.equals("ALL") || (viewType.equals("DELETED_ONLY") == r.lifecycle.equals("deleted")))
                .filter(filter).toList());
        Comparator<Run> order = Comparator.comparingLong((Run r) -> r.startTime).reversed();
        List<Comparator<Run>> keys = new ArrayList<>();
        for (JsonNode clause : json.path("order_by")) {
            String c = clause.asText().trim();
            if (c.matches("(?i)(attributes\\.)?start_time( asc)?")) order = Comparator.comparingLong((Run r) -> r.startTime);
            else if (!c.matches("(?i)(attributes\\.)?start_time desc")) keys.add(orderKey(c));
        }
        for (int i = keys.size() - 1; i >= 0; i--) order = keys.get(i).thenComparing(order);
        matching.sort(order.thenComparing(r -> r.id));
        int offset = offset(json.path("page_token").asText(""));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode runs = JSON.createArrayNode();
        for (int i = offset; i < Math.min(matching.size(), offset + max); i++) runs.add(runJson(matching.get(i), true));
        if (!runs.isEmpty()) out.set("runs", runs);
        if (offset + max < matching.size()) out.put("next_page_token", token(offset + max));
        return Response.json(200, out);
    }

    /** {@code metrics.K [ASC|DESC]} or {@code params.K [ASC|DESC]}; runs without the value last. */
    private static Comparator<Run> orderKey(String clause) {
        Matcher m = Pattern.compile("(?i)(metrics|params)\\.(`[^`]+`|[\\w.]+)(\\s+(ASC|DESC))?").matcher(clause);
        if (!m.matches()) throw invalid("Invalid order_by clause '" + clause + "'. Could not be parsed.");
        String key = m.group(2).replaceAll("^`|`$", "");
        boolean descending = m.group(4) != null && m.group(4).equalsIgnoreCase("desc");
        boolean metric = m.group(1).equalsIgnoreCase("metrics");
        return (a, b) -> {
            Comparable<Object> va = sortValue(a, key, metric);
            Comparable<Object> vb = sortValue(b, key, metric);
            if (va == null || vb == null) return va == vb ? 0 : va == null ? 1 : -1;
            return descending ? vb.compareTo(va) : va.compareTo(vb);
        };
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> sortValue(Run run, String key, boolean metric) {
        if (!metric) return (Comparable<Object>) (Comparable<?>) run.params.get(key);
        List<Point> points = run.metrics.get(key);
        return points == null ? null : (Comparable<Object>) (Comparable<?>) Double.valueOf(latest(points).value);
    }

    private static Point latest(List<Point> points) {
        return Collections.max(points, Comparator.comparingLong((Point p) -> p.step).thenComparingLong(p -> p.timestamp));
    }

    private Response history(Map<String, List<String>> query) {
        Run run = requireRun(param(query, "run_id", "run_uuid"));
        String key = one(query, "metric_key");
        List<Point> points = run.metrics.getOrDefault(key, List.of());
        ObjectNode out = JSON.createObjectNode();
        if (flavor == Flavor.V2_17) {
            ArrayNode list = out.putArray("metrics");
            points.forEach(p -> list.add(p.toJson()));
            if (list.isEmpty()) out.remove("metrics");
            return Response.json(200, out);
        }
        int max = query.containsKey("max_results") ? Integer.parseInt(one(query, "max_results")) : 0;
        String token = query.containsKey("page_token") ? one(query, "page_token") : "";
        int offset = offset(token);
        if (!token.isEmpty() && max == 0) throw invalid("Invalid page token, parsed value={'offset': " + offset + "}");
        ArrayNode list = JSON.createArrayNode();
        for (int i = offset; i < Math.min(points.size(), offset + max); i++) list.add(points.get(i).toJson());
        if (!list.isEmpty()) out.set("metrics", list);
        if (max == 0 || offset + max < points.size()) out.put("next_page_token", token(offset + max));
        return Response.json(200, out);
    }

    // ---------------------------------------------------------------- artifacts

    private Response artifact(String method, String path, byte[] body) {
        if (path.contains("..") || path.startsWith("/")) throw invalid("Invalid path");
        if (method.equals("PUT")) {
            state.artifacts.put(path, body);
            return Response.json(200, JSON.createObjectNode());
        }
        if (method.equals("GET")) return download(path);
        throw invalid("unsupported method " + method);
    }

    private Response download(String key) {
        byte[] content = state.artifacts.get(key);
        if (content == null) throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "File not found: " + key);
        String type = key.endsWith(".txt") || key.endsWith(".csv") || key.endsWith(".yaml") ? "text/plain" : "application/octet-stream";
        return new Response(200, type, content);
    }

    private static String artifactKey(Run run, String path) {
        return run.experimentId + "/" + run.id + "/artifacts/" + path;
    }

    private Response listArtifacts(Run run, String dir) {
        String root = run.experimentId + "/" + run.id + "/artifacts/";
        String prefix = root + (dir.isEmpty() ? "" : dir.replaceAll("/+$", "") + "/");
        Map<String, ObjectNode> entries = new TreeMap<>();
        state.artifacts.forEach((k, v) -> {
            if (!k.startsWith(prefix)) return;
            String rest = k.substring(prefix.length());
            int slash = rest.indexOf('/');
            String relative = (dir.isEmpty() ? "" : dir.replaceAll("/+$", "") + "/") + (slash < 0 ? rest : rest.substring(0, slash));
            ObjectNode entry = JSON.createObjectNode().put("path", relative).put("is_dir", slash >= 0);
            if (slash < 0) entry.put("file_size", v.length);
            entries.put(relative, entry);
        });
        ObjectNode out = JSON.createObjectNode().put("root_uri", "mlflow-artifacts:/" + run.experimentId + "/" + run.id + "/artifacts");
        if (!entries.isEmpty()) out.putArray("files").addAll(entries.values());
        return Response.json(200, out);
    }

    // ---------------------------------------------------------------- helpers

    private Experiment requireExperiment(String id) {
        Experiment e = state.experiments.get(id);
        if (e == null) throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "No Experiment with id=" + id + " exists");
        return e;
    }

    private Run requireRun(String id) {
        Run run = id == null ? null : state.runs.get(id);
        if (run == null) throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Run with id=" + id + " not found");
        return run;
    }

    private static void checkKey(String key, String field) {
        if (key.isEmpty() || !KEY.matcher(key).matches() || key.length() > 250) {
            throw invalid("Invalid value \"" + key + "\" for parameter '" + field + "' supplied: Names may only contain "
                    + "alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).");
        }
    }

    private ObjectNode runJson(Run run, boolean withData) {
        ObjectNode out = JSON.createObjectNode();
        out.set("info", infoJson(run));
        ObjectNode data = out.putObject("data");
        if (withData && !run.metrics.isEmpty()) {
            ArrayNode latest = data.putArray("metrics");
            run.metrics.values().forEach(points -> latest.add(Collections.max(points, Comparator
                    .comparingLong((Point p) -> p.step).thenComparingLong(p -> p.timestamp)
                    .thenComparingDouble(p -> Double.isNaN(p.value) ? Double.NEGATIVE_INFINITY : p.value)).toJson()));
        }
        if (withData && !run.params.isEmpty()) {
            ArrayNode params = data.putArray("params");
            run.params.forEach((k, v) -> params.addObject().put("key", k).put("value", v));
        }
        if (!run.tags.isEmpty()) {
            ArrayNode tags = data.putArray("tags");
            run.tags.forEach((k, v) -> tags.addObject().put("key", k).put("value", v));
        }
        if (withData || flavor == Flavor.V3) out.putObject("inputs");
        if (withData && flavor == Flavor.V3) out.putObject("outputs");
        return out;
    }

    private static ObjectNode infoJson(Run run) {
        ObjectNode info = JSON.createObjectNode();
        info.put("run_uuid", run.id).put("experiment_id", run.experimentId).put("run_name", run.name)
                .put("user_id", run.userId).put("status", run.status).put("start_time", run.startTime);
        if (run.endTime != null) info.put("end_time", run.endTime);
        info.put("artifact_uri", "mlflow-artifacts:/" + run.experimentId + "/" + run.id + "/artifacts")
                .put("lifecycle_stage", run.lifecycle).put("run_id", run.id);
        return info;
    }

    private static double value(JsonNode node) {
        if (node.isNumber()) return clamp(node.asDouble());
        String text = node.asText();
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.MAX_VALUE;
            case "-Infinity" -> -Double.MAX_VALUE;
            default -> {
                try {
                    yield clamp(Double.parseDouble(text));
                } catch (NumberFormatException e) {
                    throw invalid("Invalid value for metric: '" + text + "'");
                }
            }
        };
    }

    /** The SQL stores give infinity back as ±Double.MAX_VALUE. */
    private static double clamp(double v) {
        return v == Double.POSITIVE_INFINITY ? Double.MAX_VALUE : v == Double.NEGATIVE_INFINITY ? -Double.MAX_VALUE : v;
    }

    private static long int64(JsonNode node, long fallback) {
        if (node == null || node.isNull()) return fallback;
        if (node.isNumber()) return node.asLong();
        try {
            return Long.parseLong(node.asText());
        } catch (NumberFormatException e) {
            throw invalid("Invalid value '" + node.asText() + "' for an int64 field");
        }
    }

    private static String truncate(String value, int max) {
        return value.codePointCount(0, value.length()) <= max ? value : value.substring(0, value.offsetByCodePoints(0, max));
    }

    private static String token(int offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String token) {
        if (token == null || token.isEmpty()) return 0;
        try {
            return JSON.readTree(Base64.getDecoder().decode(token)).path("offset").asInt();
        } catch (IOException | IllegalArgumentException e) {
            throw invalid("Invalid page token, could not base64-decode");
        }
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    /** A path component: {@code +} is a plus sign there, not a space. */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String one(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            throw invalid("Missing value for required parameter '" + name + "'. See the API docs for more information about request parameters.");
        }
        return values.get(0);
    }

    private static String param(Map<String, List<String>> query, String name, String legacy) {
        return query.containsKey(name) ? one(query, name) : query.containsKey(legacy) ? one(query, legacy) : one(query, name);
    }

    // ---------------------------------------------------------------- data

    private static final class State {
        final Map<String, Experiment> experiments = new LinkedHashMap<>();
        final Map<String, Run> runs = new LinkedHashMap<>();
        final Map<String, byte[]> artifacts = new LinkedHashMap<>();
        int nextExperiment;

        State() {
            newExperiment("Default");
        }

        Experiment newExperiment(String name) {
            Experiment e = new Experiment(Integer.toString(nextExperiment++), name, System.currentTimeMillis());
            experiments.put(e.id, e);
            return e;
        }
    }

    private static final class Experiment {
        final String id;
        final String name;
        final long created;
        final Map<String, String> tags = new LinkedHashMap<>();

        Experiment(String id, String name, long created) {
            this.id = id;
            this.name = name;
            this.created = created;
        }

        ObjectNode toJson() {
            ObjectNode out = JSON.createObjectNode().put("experiment_id", id).put("name", name)
                    .put("artifact_location", "mlflow-artifacts:/" + id).put("lifecycle_stage", "active")
                    .put("last_update_time", created).put("creation_time", created);
            if (!tags.isEmpty()) {
                ArrayNode list = out.putArray("tags");
                tags.forEach((k, v) -> list.addObject().put("key", k).put("value", v));
            }
            return out;
        }
    }

    private static final class Run {
        final String id;
        final String experimentId;
        final long startTime;
        final String userId;
        final Map<String, String> params = new LinkedHashMap<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, List<Point>> metrics = new LinkedHashMap<>();
        String name;
        String status = "RUNNING";
        Long endTime;
        String lifecycle = "active";

        Run(String id, String experimentId, String name, long startTime, String userId) {
            this.id = id;
            this.experimentId = experimentId;
            this.name = name;
            this.startTime = startTime;
            this.userId = userId;
        }
    }

    private record Point(String key, double value, long timestamp, long step) {
        ObjectNode toJson() {
            ObjectNode out = JSON.createObjectNode().put("key", key);
            if (Double.isNaN(value)) out.put("value", "NaN");
            else out.put("value", value);
            return out.put("timestamp", timestamp).put("step", step);
        }
    }

    /**
     * The part of MLflow's search grammar CineLab uses: clauses joined by {@code and}, each
     * {@code tags.<key>}, {@code params.<key>}, {@code attributes.<name>} or {@code metrics.<key>}
     * (keys optionally in backquotes), an operator and a quoted string or a number.
     */
    static final class Filter {
        private static final Pattern CLAUSE = Pattern.compile(
                "\\s*(tags|tag|params|param|attributes|attribute|attr|run|metrics|metric)\\.(`[^`]+`|\"[^\"]+\"|[\\w.\\-:/]+)"
                        + "\\s*(=|!=|<=|>=|<|>|LIKE|ILIKE|NOT IN|IN)\\s*('(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|-?[\\d.eE+-]+|\\([^)]*\\))\\s*",
                Pattern.CASE_INSENSITIVE);

        static Predicate<Run> parse(String filter) {
            Predicate<Run> all = r -> true;
            if (filter == null || filter.isBlank()) return all;
            for (String part : filter.split("(?i)\\s+and\\s+(?=(?:[^']*'[^']*')*[^']*$)")) {
                Matcher m = CLAUSE.matcher(part);
                if (!m.matches()) throw invalid("Invalid filter '" + filter + "'");
                String kind = m.group(1).toLowerCase(Locale.ROOT);
                String key = m.group(2).replaceAll("^[`\"]|[`\"]$", "");
                String op = m.group(3).toUpperCase(Locale.ROOT);
                String literal = m.group(4);
                if (op.endsWith("IN")) {
                    if (!literal.startsWith("(") || !(kind.startsWith("attr") || kind.equals("run")) || !key.equals("run_id")) {
                        throw invalid("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
                    }
                    List<String> ids = new ArrayList<>();
                    Matcher q = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'").matcher(literal);
                    while (q.find()) ids.add(q.group(1));
                    boolean in = op.equals("IN");
                    all = all.and(run -> ids.contains(run.id) == in);
                    continue;
                }
                boolean quoted = literal.startsWith("'") || literal.startsWith("\"");
                if (kind.startsWith("param") && !quoted) throw invalid("Expected a quoted string value for param (e.g. 'my-value'). Got value " + literal);
                if (kind.startsWith("metric") && (quoted || !Set.of("=", "!=", "<", "<=", ">", ">=").contains(op))) {
                    throw invalid("Invalid comparator '" + op + "' or value for metric");
                }
                String value = quoted ? literal.substring(1, literal.length() - 1).replaceAll("\\\\(.)", "$1") : literal;
                all = all.and(clause(kind, key, op, value));
            }
            return all;
        }

        private static Predicate<Run> clause(String kind, String key, String op, String value) {
            return run -> {
                if (kind.startsWith("metric")) {
                    List<Point> points = run.metrics.get(key);
                    if (points == null) return false;
                    double latest = latest(points).value;
                    return compare(Double.compare(latest, Double.parseDouble(value)), op);
                }
                String actual = switch (kind) {
                    case "tags", "tag" -> run.tags.get(key);
                    case "params", "param" -> run.params.get(key);
                    default -> switch (key) {
                        case "run_name" -> run.name;
                        case "status" -> run.status;
                        case "run_id" -> run.id;
                        case "start_time" -> Long.toString(run.startTime);
                        default -> throw invalid("Invalid attribute key '" + key + "'");
                    };
                };
                if (actual == null) return false;
                if (key.equals("start_time") && !kind.startsWith("tag") && !kind.startsWith("param")) {
                    return compare(Long.compare(Long.parseLong(actual), Long.parseLong(value)), op);
                }
                return switch (op) {
                    case "=" -> actual.equals(value);
                    case "!=" -> !actual.equals(value);
                    case "LIKE" -> actual.matches(value.replace("%", ".*").replace("_", "."));
                    case "ILIKE" -> actual.toLowerCase(Locale.ROOT).matches(value.toLowerCase(Locale.ROOT).replace("%", ".*").replace("_", "."));
                    default -> compare(actual.compareTo(value), op);
                };
            };
        }

        private static boolean compare(int c, String op) {
            return switch (op) {
                case "=" -> c == 0;
                case "!=" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }
    }
}
