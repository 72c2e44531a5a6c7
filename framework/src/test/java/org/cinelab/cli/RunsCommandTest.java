package org.cinelab.cli;

import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.rest.FakeMlflowServer;
import org.cinelab.tracking.rest.RestSettings;
import org.cinelab.tracking.rest.RestTracker;
import org.cinelab.tracking.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** cinelab runs and cinelab compare on a file store and on an MLflow server. */
class RunsCommandTest {
    @TempDir
    Path tmp;

    /** Four trials of two executions (seeds 1 and 2) of "sweep"; returns their run ids. */
    private static List<String> fill(Tracker t) throws Exception {
        String exp = t.getOrCreateExperiment("sweep", Map.of());
        t.getOrCreateExperiment("other", Map.of());
        List<String> ids = new ArrayList<>();
        double[] lrs = {0.001, 0.02, 0.05, 0.003};
        for (int i = 0; i < lrs.length; i++) {
            String id = t.createRun(exp, "t00" + i + " lr=" + lrs[i], 1_000L * (i + 1), Map.of("cinelab.seed", Integer.toString(1 + i / 2),
                    "cinelab.spec_sha256", i < 2 ? "aaaa" : "bbbb"));
            t.logParams(id, Map.of("lr", Double.toString(lrs[i]), "factors", "32", "trial.id", "t00" + i));
            t.logMetrics(id, List.of(new MetricPoint("val_rmse", 1.2, 0, 1), new MetricPoint("val_rmse", 0.9 + i / 100.0, 1, 2),
                    new MetricPoint("test_rmse", 0.95 - i / 100.0, 0, 3)));
            t.setRunStatus(id, RunStatus.FINISHED, 1_000L * (i + 1) + 1);
            ids.add(id);
        }
        return ids;
    }

    @Test
    void runsFiltersSortsAndPrintsParamsBesideMetricsOnAFileStore() throws Exception {
        try (MlflowFileStore t = new MlflowFileStore(tmp.resolve("mlruns"))) {
            fill(t);
        }
        CliTest.Outcome o = CliTest.run("runs", "sweep", "--tracking-uri", tmp.resolve("mlruns").toString(),
                "--filter", "params.lr > 0.002 and metrics.val_rmse < 0.925", "--sort", "metrics.test_rmse");
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().startsWith("2 run(s) in sweep, filter: params.lr > 0.002 and metrics.val_rmse < 0.925, sorted by metrics.test_rmse ASC"), o.out());
        List<String> lines = o.out().lines().filter(l -> l.matches("[0-9a-f]{32} .*")).toList();
        assertEquals(2, lines.size(), o.out());
        assertTrue(lines.get(0).contains("t002 lr=0.05") && lines.get(1).contains("t001 lr=0.02"), o.out());
        String header = o.out().lines().filter(l -> l.startsWith("run_id")).findFirst().orElseThrow();
        assertTrue(header.contains("lr") && header.contains("val_rmse") && header.contains("test_rmse") && !header.contains("trial.id"), header);
        assertTrue(lines.get(0).contains("0.9200"), "final value of val_rmse (step 1), not the first: " + lines.get(0));
    }

    @Test
    void csvHasEveryParamMetricAndProvenanceTag() throws Exception {
        try (MlflowFileStore t = new MlflowFileStore(tmp.resolve("mlruns"))) {
            fill(t);
        }
        CliTest.Outcome o = CliTest.run("runs", "--tracking-uri", tmp.resolve("mlruns").toString(), "--csv", "--sort", "params.lr DESC");
        assertEquals(0, o.exit(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals(5, lines.size(), o.out());
        assertTrue(lines.get(0).contains("params.trial.id") && lines.get(0).contains("metrics.test_rmse") && lines.get(0).contains("tags.cinelab.seed"));
        assertTrue(lines.get(1).contains(",0.05,"), "params sort as text in MLflow: '0.05' first: " + lines.get(1));
    }

    @Test
    void aBadFilterOrSortOrExperimentIsBadInputWithItsColumn() throws Exception {
        String store = tmp.resolve("mlruns").toString();
        try (MlflowFileStore t = new MlflowFileStore(tmp.resolve("mlruns"))) {
            fill(t);
        }
        CliTest.Outcome o = CliTest.run("runs", "sweep", "--tracking-uri", store, "--filter", "metrics.rmse < 0.9 and params.lr => 1");
        assertEquals(Main.EXIT_BAD_INPUT, o.exit());
        assertTrue(o.err().contains("--filter column 34: unknown comparator '=>'"), o.err());
        assertTrue(o.err().contains("  metrics.rmse < 0.9 and params.lr => 1\n" + " ".repeat(35) + "^"), o.err());
        assertFalse(o.err().contains("Exception"), o.err());
        o = CliTest.run("runs", "sweep", "--tracking-uri", store, "--sort", "metrics.rmse sideways");
        assertEquals(Main.EXIT_BAD_INPUT, o.exit());
        assertTrue(o.err().contains("--sort column 14: expected ASC or DESC"), o.err());
        o = CliTest.run("runs", "swep", "--tracking-uri", store);
        assertEquals(Main.EXIT_BAD_INPUT, o.exit());
        assertTrue(o.err().contains("no experiment named 'swep'") && o.err().contains("other, sweep"), o.err());
    }

    @Test
    void runsAndCompareWorkAgainstAnMlflowServer() throws Exception {
        try (FakeMlflowServer server = FakeMlflowServer.started()) {
            List<String> ids;
            try (Tracker t = RestTracker.open(server.uri(), Map.of(RestSettings.SPOOL_DIR_ENV, tmp.resolve("spool").toString()))) {
                ids = fill(t);
            }
            CliTest.Outcome o = CliTest.run("runs", "sweep", "--tracking-uri", server.uri(), "--filter", "tags.cinelab.seed = '2'",
                    "--columns", "run_name,params.lr,metrics.val_rmse");
            assertEquals(0, o.exit(), o.err());
            assertTrue(o.out().contains("2 run(s) in sweep"), o.out());
            assertTrue(o.out().contains("run_name           lr     val_rmse") || o.out().lines().anyMatch(l -> l.startsWith("run_name") && l.contains("val_rmse")), o.out());
            assertTrue(server.requests().stream().anyMatch(r -> r.path().contains("runs/search") && r.body().contains("cinelab.seed")));

            o = CliTest.run("compare", ids.get(0), ids.get(2), "--tracking-uri", server.uri());
            assertEquals(0, o.exit(), o.err());
            String out = o.out();
            assertTrue(out.indexOf("Params that differ") < out.indexOf("Metrics:"), out);
            String params = out.substring(out.indexOf("Params that differ"), out.indexOf("Provenance"));
            assertTrue(params.contains("lr") && params.contains("0.001") && params.contains("0.05"), params);
            assertFalse(params.contains("factors"), "equal params are only counted: " + params);
            assertTrue(params.contains("(1 equal; --all lists them)"), params);
            String provenance = out.substring(out.indexOf("Provenance"), out.indexOf("Metrics:"));
            assertTrue(provenance.contains("cinelab.spec_sha256") && provenance.contains("aaaa") && provenance.contains("bbbb"), provenance);
            assertTrue(out.contains("0.9000 [0.9000..1.2000 over 2 steps]") && out.contains("0.9200 [0.9200..1.2000 over 2 steps]"), out);

            o = CliTest.run("compare", ids.get(0), "nosuchrun", "--tracking-uri", server.uri());
            assertEquals(Main.EXIT_BAD_INPUT, o.exit());
            assertTrue(o.err().contains("no run 'nosuchrun'"), o.err());
        }
    }
}
