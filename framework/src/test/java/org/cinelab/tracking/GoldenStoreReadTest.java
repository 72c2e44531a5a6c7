package org.cinelab.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads the stores that MLflow 2.17 and master wrote themselves and checks every answer against the
 * server's own read-back in {@code filestore-*.transcript.json}.
 */
class GoldenStoreReadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"filestore-2.17", "filestore-master"})
    void experiments_match_the_servers_experiments_search(String store) throws IOException {
        Golden golden = open(store);
        JsonNode expected = golden.exchange("experiments-search").get("experiments");
        Map<String, ExperimentInfo> actual = golden.store.listExperiments().stream()
                .collect(Collectors.toMap(ExperimentInfo::experimentId, e -> e));
        assertEquals(expected.size(), actual.size());
        for (JsonNode e : expected) {
            ExperimentInfo info = actual.get(e.get("experiment_id").asText());
            assertEquals(e.get("name").asText(), info.name());
            assertEquals(e.get("artifact_location").asText(), info.artifactLocation());
            assertEquals(e.get("lifecycle_stage").asText(), info.lifecycleStage());
            assertEquals(e.get("creation_time").asLong(), info.creationTimeMs());
            assertEquals(e.get("last_update_time").asLong(), info.lastUpdateTimeMs());
            assertEquals(keyValues(e.get("tags")), info.tags());
        }
        String id = golden.store.findExperimentByName("cinelab-golden-fs").orElseThrow().experimentId();
        assertEquals(id, golden.store.getOrCreateExperiment("cinelab-golden-fs", Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"filestore-2.17", "filestore-master"})
    void runs_params_tags_and_latest_metrics_match_runs_get(String store) throws IOException {
        Golden golden = open(store);
        for (String run : List.of("parent", "child-1", "child-2")) {
            JsonNode expected = golden.exchange("runs-get-" + run).get("run");
            JsonNode info = expected.get("info");
            String runId = info.get("run_id").asText();
            assertEquals(new RunInfo(runId, info.get("experiment_id").asText(), info.get("run_name").asText(),
                    info.get("user_id").asText(), RunStatus.valueOf(info.get("status").asText()),
                    info.get("start_time").asLong(), info.get("end_time").asLong(), info.get("artifact_uri").asText(),
                    info.get("lifecycle_stage").asText()), golden.store.getRun(runId).orElseThrow(), run);

            JsonNode data = expected.get("data");
            assertEquals(keyValues(data.get("params")), golden.store.getParams(runId), run);
            assertEquals(keyValues(data.get("tags")), golden.store.getTags(runId), run);
            List<String> metricKeys = new ArrayList<>();
            for (JsonNode metric : data.get("metrics")) {
                String key = metric.get("key").asText();
                metricKeys.add(key);
                MetricPoint latest = golden.store.getMetricHistory(runId, key).stream()
                        .max(Comparator.comparingLong(MetricPoint::step).thenComparingLong(MetricPoint::timestampMs)
                                .thenComparingDouble(MetricPoint::value)).orElseThrow();
                assertEquals(point(key, metric), latest, run + " " + key);
            }
            metricKeys.sort(Comparator.naturalOrder());
            assertEquals(metricKeys, golden.store.getMetricKeys(runId), run);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"filestore-2.17", "filestore-master"})
    void children_carry_the_parent_id_and_list_runs_matches_runs_search(String store) throws IOException {
        Golden golden = open(store);
        String parentId = golden.exchange("runs-get-parent").get("run").get("info").get("run_id").asText();
        String experimentId = golden.store.findExperimentByName("cinelab-golden-fs").orElseThrow().experimentId();
        Set<String> expected = new HashSet<>();
        for (JsonNode run : golden.exchange("runs-search").get("runs")) expected.add(run.get("info").get("run_id").asText());
        List<RunInfo> runs = golden.store.listRuns(experimentId);
        assertEquals(expected, runs.stream().map(RunInfo::runId).collect(Collectors.toSet()));
        assertEquals(3, runs.size());
        Map<String, RunStatus> statusByName = new HashMap<>();
        for (RunInfo run : runs) {
            statusByName.put(run.runName(), run.status());
            String parentTag = golden.store.getTags(run.runId()).get("mlflow.parentRunId");
            assertEquals(run.runName().startsWith("child") ? parentId : null, parentTag, run.runName());
        }
        assertEquals(Map.of("parent", RunStatus.FINISHED, "child-1", RunStatus.FAILED, "child-2", RunStatus.KILLED),
                statusByName);
    }

    @ParameterizedTest
    @ValueSource(strings = {"filestore-2.17", "filestore-master"})
    void metric_histories_match_get_history_nan_and_infinity_included(String store) throws IOException {
        Golden golden = open(store);
        int checked = 0;
        for (JsonNode exchange : golden.transcript.get("exchanges")) {
            if (!exchange.get("name").asText().startsWith("metrics-get-history-")) continue;
            Map<String, String> query = query(exchange.get("path").asText());
            List<MetricPoint> expected = new ArrayList<>();
            for (JsonNode m : exchange.get("response_body").get("metrics")) expected.add(point(m.get("key").asText(), m));
            List<MetricPoint> actual = golden.store.getMetricHistory(query.get("run_id"), query.get("metric_key"));
            assertEquals(expected, actual, exchange.get("name").asText());
            checked++;
        }
        assertEquals(4, checked);
        String child1 = golden.exchange("runs-get-child-1").get("run").get("info").get("run_id").asText();
        String child2 = golden.exchange("runs-get-child-2").get("run").get("info").get("run_id").asText();
        assertTrue(Double.isNaN(golden.store.getMetricHistory(child1, "loss").get(2).value()));
        assertEquals(Double.POSITIVE_INFINITY, golden.store.getMetricHistory(child2, "loss").get(3).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"filestore-2.17", "filestore-master"})
    void a_run_written_into_a_golden_store_sits_beside_mlflows_runs(String store) throws IOException {
        Golden golden = open(store);
        String experimentId = golden.store.getOrCreateExperiment("cinelab-golden-fs", Map.of());
        String run = golden.store.createRun(experimentId, "cinelab", 1L, Map.of());
        assertEquals(4, golden.store.listRuns(experimentId).size());
        String artifactUri = golden.store.getRun(run).orElseThrow().artifactUri();
        String location = golden.store.findExperimentByName("cinelab-golden-fs").orElseThrow().artifactLocation();
        assertEquals(location + "/" + run + "/artifacts", artifactUri);
    }

    private record Golden(MlflowFileStore store, JsonNode transcript) {
        JsonNode exchange(String name) {
            for (JsonNode e : transcript.get("exchanges")) {
                if (e.get("name").asText().equals(name)) {
                    assertEquals(200, e.get("status").asInt(), name);
                    return e.get("response_body");
                }
            }
            throw new AssertionError("transcript has no exchange " + name);
        }
    }

    private Golden open(String store) throws IOException {
        Path goldenDir = GoldenStores.requireGoldenDir();
        Path copy = GoldenStores.copyTree(goldenDir.resolve(store), dir.resolve(store));
        JsonNode transcript = JSON.readTree(goldenDir.resolve(store + ".transcript.json").toFile());
        return new Golden(new MlflowFileStore(copy), transcript);
    }

    private static Map<String, String> keyValues(JsonNode list) {
        Map<String, String> values = new TreeMap<>();
        if (list != null) for (JsonNode kv : list) values.put(kv.get("key").asText(), kv.get("value").asText());
        return values;
    }

    /** MLflow's JSON sends NaN and infinities as the strings "NaN" and "Infinity". */
    private static MetricPoint point(String key, JsonNode metric) {
        JsonNode value = metric.get("value");
        double v = value.isNumber() ? value.doubleValue() : MetricLines.parseValue(value.asText());
        return new MetricPoint(key, v, metric.get("step").asLong(), metric.get("timestamp").asLong());
    }

    private static Map<String, String> query(String path) {
        Map<String, String> query = new HashMap<>();
        for (String pair : path.substring(path.indexOf('?') + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }
}
