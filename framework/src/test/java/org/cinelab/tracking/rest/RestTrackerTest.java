package org.cinelab.tracking.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link RestTracker} against {@link FakeMlflowServer}, an in-process HTTP server on 127.0.0.1
 * that answers like MLflow 2.17 or 3.x per {@code shared/docs/mlflow-rest.md} and the golden
 * transcripts (limits, error codes, get-history paging) and records every request it receives.
 */
class RestTrackerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_795_643_931_000L;

    @TempDir
    Path tmp;
    private FakeMlflowServer fake;

    @AfterEach
    void stopServer() {
        if (fake != null) fake.stop();
    }

    private RestTracker tracker(FakeMlflowServer.Flavor flavor) throws Exception {
        fake = new FakeMlflowServer(flavor);
        fake.start();
        return new RestTracker(settings(), s -> {}, false);
    }

    private RestSettings settings() {
        return RestSettings.from(fake.uri(), Map.of())
                .withRetry(new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20)))
                .withSpoolDir(tmp.resolve("spool"));
    }

    private List<JsonNode> bodies(String endpoint) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (FakeMlflowServer.Request r : fake.requests()) {
            if (r.path().startsWith("/api/2.0/mlflow/" + endpoint)) out.add(JSON.readTree(r.body().isEmpty() ? "{}" : r.body()));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(FakeMlflowServer.Flavor.class)
    void runs_params_tags_and_every_metric_point_read_back_as_logged(FakeMlflowServer.Flavor flavor) throws Exception {
        try (RestTracker tracker = tracker(flavor)) {
            String experiment = tracker.getOrCreateExperiment("rest-test", Map.of("mlflow.note.content", "about"));
            assertEquals(experiment, tracker.getOrCreateExperiment("rest-test", Map.of()));
            assertEquals("about", tracker.findExperimentByName("rest-test").orElseThrow().tags().get("mlflow.note.content"));
            String parent = tracker.createRun(experiment, "parent", T0, Map.of("mlflow.user", "ann"));
            String child = tracker.createRun(experiment, "child", T0 + 1, Map.of("mlflow.parentRunId", parent));
            tracker.logParams(child, Map.of("lr", "0.01", "model/factors", "32"));
            tracker.setTags(child, Map.of("phase", "train"));
            tracker.logMetrics(child, List.of(new MetricPoint("loss", 0.9, 0, T0), new MetricPoint("loss", Double.NaN, 1, T0 + 1),
                    new MetricPoint("loss", 0.25, 2, T0 + 2), new MetricPoint("eval/rmse", Double.POSITIVE_INFINITY, 2, T0 + 2)));
            tracker.setRunStatus(child, RunStatus.FINISHED, T0 + 10);

            RunInfo run = tracker.getRun(child).orElseThrow();
            assertEquals(RunStatus.FINISHED, run.status());
            assertEquals("child", run.runName());
            assertEquals(T0 + 10, run.endTimeMs());
            assertEquals(Map.of("lr", "0.01", "model/factors", "32"), tracker.getParams(child));
            assertEquals(parent, tracker.getTags(child).get("mlflow.parentRunId"));
            assertEquals("train", tracker.getTags(child).get("phase"));
            assertEquals(List.of("eval/rmse", "loss"), tracker.getMetricKeys(child));
            List<MetricPoint> loss = tracker.getMetricHistory(child, "loss");
            assertEquals(3, loss.size());
            assertTrue(Double.isNaN(loss.get(1).value()));
            assertEquals(List.of(0L, 1L, 2L), loss.stream().map(MetricPoint::step).toList());
            double inf = tracker.getMetricHistory(child, "eval/rmse").get(0).value();
            assertTrue(inf == Double.POSITIVE_INFINITY || inf == Double.MAX_VALUE, "MLflow's SQL stores return +inf as MAX_VALUE");
            assertEquals(2, tracker.listRuns(experiment).size());
            assertTrue(tracker.getRun("0123456789abcdef0123456789abcdef").isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(FakeMlflowServer.Flavor.class)
    void runs_create_carries_the_user_as_the_file_store_records_it(FakeMlflowServer.Flavor flavor) throws Exception {
        try (RestTracker tracker = tracker(flavor)) {
            String experiment = tracker.getOrCreateExperiment("users", Map.of());
            String tagged = tracker.createRun(experiment, "tagged", T0, Map.of("mlflow.user", "ann"));
            String untagged = tracker.createRun(experiment, "untagged", T0, Map.of());
            List<JsonNode> creates = bodies("runs/create");
            assertEquals("ann", creates.get(0).path("user_id").asText());
            assertEquals(System.getProperty("user.name"), creates.get(1).path("user_id").asText());
            assertEquals("ann", tracker.getRun(tagged).orElseThrow().userId());
            assertEquals(System.getProperty("user.name"), tracker.getRun(untagged).orElseThrow().userId());
        }
    }

    @Test
    void a_synced_run_keeps_the_user_it_was_logged_with() throws Exception {
        fake = FakeMlflowServer.started();
        try (org.cinelab.tracking.MlflowFileStore local = new org.cinelab.tracking.MlflowFileStore(tmp.resolve("mlruns"))) {
            String id = local.createRun(local.getOrCreateExperiment("laptop", Map.of()), "r", T0, Map.of("mlflow.user", "bob"));
            local.setRunStatus(id, RunStatus.FINISHED, T0 + 1);
            try (RestApi api = new RestApi(settings())) {
                new StoreSync(api, s -> {}).sync(local);
            }
        }
        assertEquals("bob", bodies("runs/create").get(0).path("user_id").asText());
    }

    @Test
    void nan_and_infinity_travel_as_the_json_strings_mlflow_expects() throws Exception {
        try (RestTracker tracker = tracker(FakeMlflowServer.Flavor.V3)) {
            String run = tracker.createRun(tracker.getOrCreateExperiment("e", Map.of()), "r", T0, Map.of());
            tracker.logMetrics(run, List.of(new MetricPoint("m", Double.NaN, 0, T0),
                    new MetricPoint("m", Double.POSITIVE_INFINITY, 1, T0), new MetricPoint("m", Double.NEGATIVE_INFINITY, 2, T0)));
            tracker.setRunStatus(run, RunStatus.FINISHED, T0 + 1);
            // The background sender may split the points over several batches: look at all of them.
            List<JsonNode> metrics = new java.util.ArrayList<>();
            for (JsonNode body : bodies("runs/log-batch")) body.get("metrics").forEach(metrics::add);
            metrics.sort(java.util.Comparator.comparingLong(m -> m.get("step").asLong()));
            assertEquals(3, metrics.size());
            assertEquals("NaN", metrics.get(0).get("value").textValue());
            assertEquals("Infinity", metrics.get(1).get("value").textValue());
            assertEquals("-Infinity", metrics.get(2).get("value").textValue());
        }
    }

    @Test
    void flush_returns_once_queued_points_are_on_the_server() throws Exception {
        try (RestTracker tracker = tracker(FakeMlflowServer.Flavor.V3)) {
            String run = tracker.createRun(tracker.getOrCreateExperiment("e", Map.of()), "r", T0, Map.of());
            List<MetricPoint> points = new ArrayList<>();
            for (int i = 0; i < 1500; i++) points.add(new MetricPoint("m", i, i, T0));
            tracker.logMetrics(run, points);
            tracker.flush();
            assertEquals(1500, fake.metricPointCount());
        }
    }

    @Test
    void a_large_batch_is_split_to_the_server_limits_of_1000_metrics_and_100_params() throws Exception {
        try (RestTracker tracker = tracker(FakeMlflowServer.Flavor.V3)) {
            String run = tracker.createRun(tracker.getOrCreateExperiment("e", Map.of()), "r", T0, Map.of());
            List<MetricPoint> points = new ArrayList<>();
            for (int i = 0; i < 2500; i++) points.add(new MetricPoint("m", i, i, T0));
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < 250; i++) params.put(String.format("p%03d", i), Integer.toString(i));
            tracker.logParams(run, params);
            tracker.logMetrics(run, points);
            tracker.setRunStatus(run, RunStatus.FINISHED, T0 + 1);

            List<JsonNode> batches = bodies("runs/log-batch");
            assertTrue(batches.stream().allMatch(b -> b.path("metrics").size() <= 1000 && b.path("params").size() <= 100));
            assertEquals(2500, batches.stream().mapToInt(b -> b.path("metrics").size()).sum());
            assertEquals(250, tracker.getParams(run).size());
            assertEquals(2500, fake.metrics(run).get("m").size());
        }
    }

    @Test
    void metric_history_beyond_one_page_is_read_completely_from_a_paging_3x_server() throws Exception {
        try (RestTracker tracker = tracker(FakeMlflowServer.Flavor.V3)) {
            String run = tracker.createRun(tracker.getOrCreateExperiment("e", Map.of()), "r", T0, Map.of());
            List<MetricPoint> points = new ArrayList<>();
            for (int i = 0; i < RestApi.HISTORY_PAGE_SIZE + 1000; i++) points.add(new MetricPoint("m", i * 0.5, i, T0 + i));
            tracker.logMetrics(run, points);
            assertEquals(points, tracker.getMetricHistory(run, "m"));
            assertTrue(fake.requests().stream().filter(r -> r.path().contains("get-history"))
                    .allMatch(r -> r.path().contains("max_results=")), "every get-history request sends max_results");
        }
    }

    @Test
    void ending_a_run_waits_until_its_queued_metrics_are_on_the_server() throws Exception {
        try (RestTracker tracker = tracker(FakeMlflowServer.Flavor.V3)) {
            String run = tracker.createRun(tracker.getOrCreateExperiment("e", Map.of()), "r", T0, Map.of());
            for (int epoch = 1; epoch <= 50; epoch++) tracker.logMetrics(run, List.of(new MetricPoint("loss", 1.0 / epoch, epoch, T0)));
            tracker.setRunStatus(run, RunStatus.FINISHED, T0 + 1);
            assertEquals(50, fake.metrics(run).get("loss").size());
        }
    }

    @Test
    void server_errors_are_retried_and_client_errors_are_not() throws Exception {
        try (RestTracker tracker = tracker(FakeMlflowServer.Flavor.V3)) {
            String experiment = tracker.getOrCreateExperiment("e", Map.of());
            fake.failNext(2, 503);
            String run = tracker.createRun(experiment, "r", T0, Map.of());
            assertEquals(1, fake.runIds(experiment).size());
            tracker.logParams(run, Map.of("lr", "0.1"));
            fake.clearRequests();
            MlflowServerException e = assertThrows(MlflowServerException.class, () -> tracker.logParams(run, Map.of("lr", "0.2")));
            assertEquals(400, e.status());
            assertEquals("INVALID_PARAMETER_VALUE", e.errorCode());
            assertEquals(1, fake.requests().size(), "the official client alone would have sent it 3 times");
        }
    }

    @Test
    void a_retry_after_a_lost_answer_creates_no_duplicate_run_and_no_duplicate_points() throws Exception {
        try (RestTracker tracker = tracker(FakeMlflowServer.Flavor.V3)) {
            String experiment = tracker.getOrCreateExperiment("e", Map.of());
            fake.loseAnswersOfNext(1);
            String run = tracker.createRun(experiment, "r", T0, Map.of());
            assertEquals(List.of(run), fake.runIds(experiment));
            fake.loseAnswersOfNext(1);
            tracker.logMetrics(run, List.of(new MetricPoint("loss", 0.5, 1, T0), new MetricPoint("loss", 0.4, 2, T0)));
            tracker.setRunStatus(run, RunStatus.FINISHED, T0 + 1);
            assertEquals(2, fake.metrics(run).get("loss").size());
        }
    }

    @Test
    void artifacts_are_uploaded_through_the_proxy_under_the_runs_artifact_path() throws Exception {
        try (RestTracker tracker = tracker(FakeMlflowServer.Flavor.V3)) {
            String experiment = tracker.getOrCreateExperiment("e", Map.of());
            String run = tracker.createRun(experiment, "r", T0, Map.of());
            Path file = Files.writeString(tmp.resolve("summary.txt"), "hello from cinelab\n");
            tracker.logArtifact(run, "reports/summary.txt", file);
            assertEquals("hello from cinelab\n", new String(fake.artifacts(run).get("reports/summary.txt"), StandardCharsets.UTF_8));
            assertTrue(fake.requests().stream().anyMatch(r -> r.method().equals("PUT") && r.path().equals(
                    "/api/2.0/mlflow-artifacts/artifacts/" + experiment + "/" + run + "/artifacts/reports/summary.txt")));
            assertThrows(IllegalArgumentException.class, () -> tracker.logArtifact(run, "../escape.txt", file));
        }
    }

    @Test
    void a_missing_run_and_invalid_keys_are_refused_before_anything_is_sent() throws Exception {
        try (RestTracker tracker = tracker(FakeMlflowServer.Flavor.V3)) {
            String run = tracker.createRun(tracker.getOrCreateExperiment("e", Map.of()), "r", T0, Map.of());
            fake.clearRequests();
            assertThrows(IllegalArgumentException.class, () -> tracker.logMetrics(run, List.of(new MetricPoint("bad key!", 1, 0, T0))));
            assertThrows(IllegalArgumentException.class, () -> tracker.logParams(run, Map.of("bad key!", "1")));
            assertTrue(fake.requests().isEmpty());
            assertFalse(tracker.isSpooling());
        }
    }
}
