package org.cinelab.tracking.sqlite;

import static org.cinelab.tracking.sqlite.GoldenDatabases.keyValues;
import static org.cinelab.tracking.sqlite.GoldenDatabases.rows;
import static org.cinelab.tracking.sqlite.GoldenDatabases.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.sqlite.GoldenDatabases.Golden;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reads the databases MLflow 2.17.0 and MLflow main wrote themselves and checks every answer against
 * what those servers answered over REST while writing them; then writes into copies of both and
 * reads the result back, with CineLab's reader and as rows.
 */
class GoldenSqliteStoreTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Golden.class)
    void experiments_match_the_servers_experiments_search(Golden golden) throws Exception {
        try (MlflowSqliteStore store = MlflowSqliteStore.openForReading(golden.path())) {
            assertEquals(golden.revision, store.schemaRevision());
            JsonNode expected = golden.answer("experiments-search").get("experiments");
            Map<String, ExperimentInfo> actual = store.listExperiments().stream()
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
                assertEquals(info, store.findExperimentByName(info.name()).orElseThrow());
                assertEquals(info, store.getExperiment(info.experimentId()).orElseThrow());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Golden.class)
    void a_run_its_params_tags_and_latest_metrics_match_runs_get(Golden golden) throws Exception {
        JsonNode expected = golden.answer("runs-get").get("run");
        JsonNode info = expected.get("info");
        String runId = info.get("run_id").asText();
        try (MlflowSqliteStore store = MlflowSqliteStore.openForReading(golden.path())) {
            assertEquals(new RunInfo(runId, info.get("experiment_id").asText(), info.get("run_name").asText(),
                    info.get("user_id").asText(), RunStatus.valueOf(info.get("status").asText()),
                    info.get("start_time").asLong(), info.get("end_time").asLong(), info.get("artifact_uri").asText(),
                    info.get("lifecycle_stage").asText()), store.getRun(runId).orElseThrow());
            JsonNode data = expected.get("data");
            assertEquals(keyValues(data.get("params")), store.getParams(runId));
            assertEquals(keyValues(data.get("tags")), store.getTags(runId));
            List<String> keys = new ArrayList<>();
            for (JsonNode metric : data.get("metrics")) {
                String key = metric.get("key").asText();
                keys.add(key);
                MetricPoint latest = store.getMetricHistory(runId, key).stream()
                        .max(Comparator.comparingLong(MetricPoint::step).thenComparingLong(MetricPoint::timestampMs))
                        .orElseThrow();
                assertEquals(point(key, metric), latest, key);
            }
            keys.sort(Comparator.naturalOrder());
            assertEquals(keys, store.getMetricKeys(runId));
        }
    }

    @ParameterizedTest
    @EnumSource(Golden.class)
    void children_carry_the_parent_link_and_list_runs_matches_runs_search(Golden golden) throws Exception {
        JsonNode search = golden.answer("runs-search-children");
        Set<String> children = new HashSet<>();
        String parent = null;
        for (JsonNode run : search.get("runs")) {
            children.add(run.get("info").get("run_id").asText());
            parent = keyValues(run.get("data").get("tags")).get("mlflow.parentRunId");
        }
        try (MlflowSqliteStore store = MlflowSqliteStore.openForReading(golden.path())) {
            String experiment = store.findExperimentByName("cinelab-golden").orElseThrow().experimentId();
            List<RunInfo> runs = store.listRuns(experiment);
            assertEquals(3, runs.size());
            Set<String> linked = new HashSet<>();
            for (RunInfo run : runs) {
                if (parent.equals(store.getTags(run.runId()).get("mlflow.parentRunId"))) linked.add(run.runId());
            }
            assertEquals(children, linked);
            for (JsonNode run : search.get("runs")) {
                String id = run.get("info").get("run_id").asText();
                assertEquals(RunStatus.valueOf(run.get("info").get("status").asText()), store.getRun(id).orElseThrow().status());
                assertEquals(keyValues(run.get("data").get("params")), store.getParams(id));
            }
            Map<String, RunStatus> statusByName = runs.stream().collect(Collectors.toMap(RunInfo::runName, RunInfo::status));
            assertEquals(Map.of("parent", RunStatus.FINISHED, "child-1", RunStatus.FINISHED, "child-2", RunStatus.KILLED),
                    statusByName);
        }
    }

    @ParameterizedTest
    @EnumSource(Golden.class)
    void metric_histories_match_get_history_with_nan_and_infinity_as_mlflow_stores_them(Golden golden) throws Exception {
        JsonNode history = golden.answer("metrics-get-history-max-results").get("metrics");
        JsonNode infinity = golden.answer("metrics-get-history-infinity").get("metrics");
        String runId = golden.answer("runs-get").get("run").get("info").get("run_id").asText();
        try (MlflowSqliteStore store = MlflowSqliteStore.openForReading(golden.path())) {
            List<MetricPoint> expected = new ArrayList<>();
            for (JsonNode m : history) expected.add(point("loss", m));
            List<MetricPoint> actual = store.getMetricHistory(runId, "loss");
            assertEquals(expected, actual);
            assertTrue(Double.isNaN(actual.get(2).value()));
            assertEquals(List.of(point("grad_norm", infinity.get(0))), store.getMetricHistory(runId, "grad_norm"));
            assertEquals(Double.MAX_VALUE, store.getMetricHistory(runId, "grad_norm").get(0).value());
        }
    }

    /**
     * A CineLab run written into a copy of each golden database, beside MLflow's runs: read back
     * equal by CineLab, and stored in the rows and the way MLflow's own store writes them.
     */
    @ParameterizedTest
    @EnumSource(Golden.class)
    void a_run_written_into_a_copy_reads_back_equal_and_sits_beside_mlflows_runs(Golden golden) throws Exception {
        Path db = golden.copyTo(dir);
        String parentId;
        String childId;
        String newExperiment;
        List<MetricPoint> loss = List.of(new MetricPoint("loss", 0.75, 0, 1_000L), new MetricPoint("loss", Double.NaN, 1, 1_100L),
                new MetricPoint("loss", Double.POSITIVE_INFINITY, 2, 1_200L), new MetricPoint("loss", 0.5, 3, 1_300L),
                new MetricPoint("loss", 0.25, 1, 1_400L));
        try (MlflowSqliteStore store = MlflowSqliteStore.open(db)) {
            assertEquals(golden.revision, store.schemaRevision(), "an existing database keeps its schema");
            String golden1 = store.getOrCreateExperiment("cinelab-golden", Map.of());
            assertEquals("1", golden1);
            newExperiment = store.getOrCreateExperiment("cinelab-new", Map.of("mlflow.note.content", "made by CineLab"));
            assertEquals("2", newExperiment, "MLflow's SQL stores number experiments in order");
            parentId = store.createRun(golden1, "cinelab-parent", 5_000L, Map.of("mlflow.user", "ann"));
            childId = store.createRun(newExperiment, null, 6_000L, Map.of("mlflow.parentRunId", parentId,
                    "mlflow.runName", "trial-1"));
            store.logParams(childId, Map.of("lr", "0.01", "model/factors", "32"));
            store.logParams(childId, Map.of("lr", "0.01"));
            assertThrows(IllegalArgumentException.class, () -> store.logParams(childId, Map.of("lr", "0.02")));
            store.logMetrics(childId, loss);
            store.logMetrics(childId, List.of(loss.get(0), new MetricPoint("eval/rmse", 0.9, 0, 1_000L)));
            store.setTags(childId, Map.of("phase", "train", "mlflow.runName", "trial-1b"));
            Path artifact = Files.writeString(dir.resolve("summary.txt"), "summary");
            store.logArtifact(parentId, "reports/summary.txt", artifact);
            store.logArtifact(childId, "reports/summary.txt", artifact);
            store.setRunStatus(childId, RunStatus.FAILED, 7_000L);
            store.setRunStatus(parentId, RunStatus.FINISHED, 8_000L);
        }

        try (MlflowSqliteStore store = MlflowSqliteStore.openForReading(db)) {
            assertEquals(4, store.listRuns("1").size(), "MLflow's three runs and CineLab's");
            RunInfo parent = store.getRun(parentId).orElseThrow();
            assertEquals(new RunInfo(parentId, "1", "cinelab-parent", "ann", RunStatus.FINISHED, 5_000L, 8_000L,
                    "mlflow-artifacts:/1/" + parentId + "/artifacts", "active"), parent);
            assertEquals("summary", Files.readString(dir.resolve("mlartifacts/1/" + parentId + "/artifacts/reports/summary.txt")),
                    "mlflow-artifacts: files go where mlflow server beside the database keeps them");
            RunInfo child = store.getRun(childId).orElseThrow();
            assertEquals("trial-1b", child.runName());
            assertEquals(RunStatus.FAILED, child.status());
            Path childArtifacts = dir.resolve("mlruns").resolve(newExperiment).resolve(childId).resolve("artifacts").toAbsolutePath();
            assertEquals(childArtifacts.toString(), child.artifactUri(), "a new experiment keeps artifacts in ./mlruns, as MLflow's client");
            assertEquals(childArtifacts, store.localArtifactDirectory(childId).orElseThrow());
            assertEquals("summary", Files.readString(childArtifacts.resolve("reports/summary.txt")));
            assertEquals(Map.of("lr", "0.01", "model/factors", "32"), store.getParams(childId));
            assertEquals(Map.of("mlflow.parentRunId", parentId, "mlflow.runName", "trial-1b", "phase", "train"),
                    store.getTags(childId));
            List<MetricPoint> stored = store.getMetricHistory(childId, "loss");
            assertEquals(5, stored.size(), "the repeated point is stored once, as MLflow does");
            assertTrue(Double.isNaN(stored.get(1).value()));
            assertEquals(Double.MAX_VALUE, stored.get(2).value(), "infinity is stored as MLflow stores it");
            assertEquals(List.of("eval/rmse", "loss"), store.getMetricKeys(childId));
            ExperimentInfo created = store.findExperimentByName("cinelab-new").orElseThrow();
            assertEquals(Map.of("mlflow.note.content", "made by CineLab"), created.tags());
            assertEquals(dir.resolve("mlruns").resolve(newExperiment).toAbsolutePath().toString(), created.artifactLocation());
        }

        // The rows, as MLflow's SqlAlchemyStore writes them
        assertEquals(List.of(List.of("trial-1b", "UNKNOWN", "", "", "FAILED", "active")), rows(db,
                "SELECT name, source_type, source_name, entry_point_name, status, lifecycle_stage FROM runs WHERE run_uuid = '" + childId + "'"));
        assertEquals(List.of(List.of(0.0, 1), List.of(Double.MAX_VALUE, 0)), rows(db, "SELECT value, is_nan FROM metrics WHERE run_uuid = '"
                + childId + "' AND key = 'loss' AND step IN (1, 2) AND timestamp IN (1100, 1200) ORDER BY step"));
        assertEquals(List.of(List.of("eval/rmse", 0.9, 1000, 0, 0), List.of("loss", 0.5, 1300, 3, 0)), rows(db,
                "SELECT key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_uuid = '" + childId + "' ORDER BY key"),
                "latest_metrics holds the largest (step, timestamp, value) of each key");
        assertEquals("ok", single(db, "PRAGMA integrity_check"));
        assertTrue(rows(db, "PRAGMA foreign_key_check").isEmpty());
        assertEquals(golden.tables, rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'").size());
        assertEquals("wal", single(db, "PRAGMA journal_mode"), "MLflow's rollback journal is switched to the write-ahead log");
        if (golden == Golden.MASTER) {
            assertEquals("default", single(db, "SELECT workspace FROM experiments WHERE name = 'cinelab-new'"));
        }
    }

    /** MLflow's JSON sends NaN as the string "NaN". */
    static MetricPoint point(String key, JsonNode metric) {
        JsonNode value = metric.get("value");
        double v = value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asText());
        return new MetricPoint(key, v, metric.get("step").asLong(), metric.get("timestamp").asLong());
    }
}
