package org.cinelab.tracking.rest;

import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunFilter;
import org.cinelab.tracking.RunOrder;
import org.cinelab.tracking.RunQuery;
import org.cinelab.tracking.RunRecord;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The same search on a file store (evaluated in Java) and on an MLflow server (evaluated by the server) finds the same runs. */
class RunSearchParityTest {
    @TempDir
    Path tmp;

    /** Six runs of experiment "sweep": lr 0.001..0.03, val_rmse falling then rising, two seeds; returns the run names in creation order. */
    private static String fill(Tracker t) throws Exception {
        String exp = t.getOrCreateExperiment("sweep", Map.of());
        double[] lrs = {0.001, 0.003, 0.01, 0.02, 0.03, 0.005};
        for (int i = 0; i < lrs.length; i++) {
            String id = t.createRun(exp, "t" + i, 1_000L * (i + 1), Map.of("cinelab.seed", Integer.toString(1 + i % 2)));
            t.logParams(id, Map.of("lr", Double.toString(lrs[i]), "optimizer", i % 3 == 0 ? "adam" : "sgd"));
            t.logMetrics(id, List.of(new MetricPoint("val_rmse", 1.5, 0, 1), new MetricPoint("val_rmse", 0.9 + Math.abs(lrs[i] - 0.01), 1, 2),
                    new MetricPoint("test_rmse", 0.95 + i / 100.0, 0, 3)));
            t.setRunStatus(id, i == 5 ? RunStatus.FAILED : RunStatus.FINISHED, 1_000L * (i + 1) + 500);
        }
        return exp;
    }

    private static List<String> names(List<RunRecord> runs) { return runs.stream().map(r -> r.info().runName()).toList(); }

    private static List<String> search(Tracker t, String exp, String filter, List<String> order, int max) throws Exception {
        List<RunOrder> o = new ArrayList<>();
        for (String k : order) o.add(RunOrder.parse(k));
        return names(t.searchRuns(new RunQuery(List.of(exp), RunFilter.parse(filter), o, max)));
    }

    @Test
    void fileStoreAndServerAgreeOnFilterOrderAndLimit() throws Exception {
        try (FakeMlflowServer server = FakeMlflowServer.started();
             Tracker remote = RestTracker.open(server.uri(), Map.of(RestSettings.SPOOL_DIR_ENV, tmp.resolve("spool").toString()));
             MlflowFileStore local = new MlflowFileStore(tmp.resolve("mlruns"))) {
            String remoteExp = fill(remote);
            String localExp = fill(local);
            Object[][] cases = {
                    {"", List.of("metrics.val_rmse"), 100},
                    {"metrics.val_rmse < 0.905", List.of("metrics.test_rmse DESC"), 100},
                    {"params.optimizer = 'sgd' and attributes.status = 'FINISHED'", List.of(), 100},
                    {"params.lr > 0.004 and metrics.val_rmse < 0.92", List.of("metrics.val_rmse"), 100},   // numeric param: client side
                    {"tags.cinelab.seed = '2'", List.of("metrics.test_rmse"), 2},
                    {"params.optimizer LIKE 'ad%'", List.of(), 100},
            };
            for (Object[] c : cases) {
                @SuppressWarnings("unchecked") List<String> order = (List<String>) c[1];
                List<String> fromServer = search(remote, remoteExp, (String) c[0], order, (Integer) c[2]);
                List<String> fromFiles = search(local, localExp, (String) c[0], order, (Integer) c[2]);
                assertEquals(fromFiles, fromServer, "filter " + c[0] + " order " + order);
                assertFalse(fromFiles.isEmpty(), "filter " + c[0] + " finds runs");
            }
            assertEquals(List.of("t3", "t5", "t2"), search(local, localExp, "params.lr > 0.004 and metrics.val_rmse < 0.92",
                    List.of("metrics.val_rmse DESC"), 100));
        }
    }

    @Test
    void theServerEvaluatesTheFilterAndCineLabOnlyTheNumericParamClauses() throws Exception {
        try (FakeMlflowServer server = FakeMlflowServer.started();
             Tracker remote = RestTracker.open(server.uri(), Map.of(RestSettings.SPOOL_DIR_ENV, tmp.resolve("spool").toString()))) {
            String exp = fill(remote);
            server.clearRequests();
            List<RunRecord> runs = remote.searchRuns(new RunQuery(List.of(exp),
                    RunFilter.parse("params.lr >= 0.01 and metrics.val_rmse < 0.92"), List.of(RunOrder.parse("metrics.val_rmse")), 10));
            assertEquals(List.of("t2", "t3"), names(runs));
            assertEquals(0.9, runs.get(0).metrics().get("val_rmse"), 1e-12, "the latest value (step 1), not the first");
            List<FakeMlflowServer.Request> searches = server.requests().stream().filter(r -> r.path().contains("runs/search")).toList();
            assertEquals(1, searches.size());
            com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(searches.get(0).body());
            assertEquals("metrics.val_rmse < 0.92", body.path("filter").asText(), "the server gets the clauses it can evaluate");
            assertEquals("metrics.val_rmse ASC", body.path("order_by").get(0).asText());
        }
    }

    @Test
    void artifactsAreReadThroughTheTrackerOnBothBackends() throws Exception {
        Path file = Files.writeString(tmp.resolve("spec.yaml"), "paper: {rmse: 0.9}\n");
        try (FakeMlflowServer server = FakeMlflowServer.started();
             Tracker remote = RestTracker.open(server.uri(), Map.of(RestSettings.SPOOL_DIR_ENV, tmp.resolve("spool").toString()));
             MlflowFileStore local = new MlflowFileStore(tmp.resolve("mlruns"))) {
            for (Tracker t : List.of(remote, local)) {
                String run = t.createRun(t.getOrCreateExperiment("a", Map.of()), "r", 1, Map.of());
                t.logArtifact(run, "spec.yaml", file);
                assertEquals("paper: {rmse: 0.9}\n", new String(t.readArtifact(run, "spec.yaml").orElseThrow()));
                assertTrue(t.readArtifact(run, "missing.txt").isEmpty());
                assertTrue(t.listExperiments().stream().anyMatch(e -> e.name().equals("a")));
            }
        }
    }
}
