package org.cinelab.report;

import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** report --check: the committed page recomputed from the committed run ledger alone, and every kind of tampering caught. */
class ReportCheckTest {
    @TempDir
    Path tmp;
    Path out;
    ReportDefinition def;
    final List<String> notices = new ArrayList<>();

    private static final String DEFINITION = """
            title: checked
            seeds: [1, 2, 3]
            rows:
              - label: MF
                experiment: mf
                spec: experiments/mf.yaml
                metrics:
                  - {label: test RMSE, metric: best_test_rmse, paper: 0.93, direction: lower}
                  - {label: test MAE, metric: best_test_mae, reference: {value: 0.74, source: a re-run}, direction: lower}
                data:
                  dataset.items: {label: movies, study: 2000}
            """;

    /** Three executions of "mf" (seed 3 at another spec hash and commit), in a file store. */
    private static void execution(MlflowFileStore t, int seed, String spec, String commit, double rmse) throws Exception {
        execution(t, seed, spec, commit, rmse, 1000L * seed);
    }

    /** @param start the parent's start time: a later execution of a seed must start later to be the newer one */
    private static void execution(MlflowFileStore t, int seed, String spec, String commit, double rmse, long start) throws Exception {
        String exp = t.getOrCreateExperiment("mf", Map.of());
        String parent = t.createRun(exp, "mf", start, Map.of("cinelab.seed", Integer.toString(seed), "cinelab.spec_sha256", spec,
                "mlflow.source.git.commit", commit, "mlflow.source.git.dirty", "false", "cinelab.dataset_sha256", "d" + seed));
        t.logParams(parent, Map.of("objective.metric", "rmse", "objective.mode", "min", "dataset.items", "10", "model.lr", "0.01",
                "model.factors", "8", "space.lr", "loguniform(0.002, 0.02)"));
        String child = t.createRun(exp, "t001", 1000L * seed + 1, Map.of("mlflow.parentRunId", parent, "cinelab.seed", "77"));
        t.logParams(child, Map.of("lr", "0.0123", "model.factors", "8", "factors", "8", "trial.id", "t001"));
        t.setRunStatus(child, RunStatus.FINISHED, 1000L * seed + 2);
        t.setTags(parent, Map.of("cinelab.best_run_id", child));
        t.logMetrics(parent, List.of(new MetricPoint("best_test_rmse", rmse, 0, 5), new MetricPoint("best_test_mae", rmse - 0.2, 0, 5)));
        t.setRunStatus(parent, RunStatus.FINISHED, 1000L * seed + 3);
    }

    @BeforeEach
    void writeReport() throws Exception {
        out = tmp.resolve("results");
        Path file = tmp.resolve("checked.yaml");
        Files.writeString(file, DEFINITION);
        def = ReportDefinition.load(file);
        try (MlflowFileStore t = new MlflowFileStore(tmp.resolve("mlruns"))) {
            execution(t, 1, "aaaaaaa1", "c0ffee1", 0.931);
            execution(t, 2, "aaaaaaa1", "c0ffee1", 0.935);
            execution(t, 3, "bbbbbbb2", "c0ffee2", 0.940);
            StudyReport.write(def, t, out, notices::add);
        }
    }

    @Test
    void theCommittedPageIsRecomputedFromTheLedgerAloneWithoutAStore() throws Exception {
        Files.walk(tmp.resolve("mlruns")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        ReportCheck.Outcome o = ReportCheck.check(def, out);
        assertTrue(o.passed(), o.differences().toString());
        assertEquals(3, o.runs(), "three parents (each names its best trial in best_run_id)");
        assertEquals(2, o.cells());
        String md = Files.readString(out.resolve("checked.md"));
        assertTrue(md.contains("| ⚠ mixed: aaaaaaa @ c0ffee1 (seeds 1, 2); bbbbbbb @ c0ffee2 (seed 3) |"), md);
        assertTrue(md.contains("| 0.74 (a re-run) |"), md);
        assertTrue(md.contains("⚠ Ran on less data than the study: 10 movies (the study: 2,000)"), md);
    }

    @Test
    void theLedgerRecordsProvenanceAndTheChosenHyperparametersOnceEach() throws Exception {
        List<String> lines = Files.readAllLines(RunLedger.fileFor(out, "checked"));
        LedgerRun parent = RunLedger.read(RunLedger.fileFor(out, "checked")).runs().stream().filter(LedgerRun::isParent)
                .filter(r -> r.seed() == 1).findFirst().orElseThrow();
        assertEquals("aaaaaaa1", parent.specSha256());
        assertEquals("c0ffee1", parent.commit());
        assertEquals("d1", parent.datasetSha256());
        assertEquals(Map.of("factors", "8", "lr", "0.0123"), parent.hyperparameters(), "the best trial's, model.x and x counted once");
        assertEquals(List.of("lr"), parent.searched());
        assertEquals(0.931, parent.metrics().get("best_test_rmse"));
        assertEquals(List.of("row: MF"), parent.usedBy());
        assertTrue(lines.get(0).startsWith("{\"record\":\"run\""), lines.get(0));
    }

    @Test
    void aTamperedTableCellFailsNamingRowColumnAndBothValues() throws Exception {
        Path md = out.resolve("checked.md");
        String page = Files.readString(md);
        String ours = ReportMarkdown.fixed((0.931 + 0.935 + 0.940) / 3, 4);
        assertTrue(page.contains(ours), page);
        Files.writeString(md, page.replace(ours, "0.9000"));
        ReportCheck.Outcome o = ReportCheck.check(def, out);
        assertFalse(o.passed());
        assertEquals(1, o.differences().size(), o.differences().toString());
        String d = o.differences().get(0).toString();
        assertTrue(d.contains("table row 'MF' / 'test RMSE (`best_test_rmse`) ↓', column 'Ours (mean ± sd)'"), d);
        assertTrue(d.contains("committed '0.9000 ±") && d.contains("recomputed '" + ours + " ±"), d);
    }

    @Test
    void aTamperedRunRecordOrAMissingLedgerFails() throws Exception {
        Path ledger = RunLedger.fileFor(out, "checked");
        Files.writeString(ledger, Files.readString(ledger).replace("\"best_test_rmse\":0.931", "\"best_test_rmse\":0.831"));
        ReportCheck.Outcome o = ReportCheck.check(def, out);
        assertFalse(o.passed());
        assertTrue(o.differences().stream().anyMatch(d -> d.where().contains("column 'Ours (mean ± sd)'")), o.differences().toString());

        Files.delete(ledger);
        o = ReportCheck.check(def, out);
        assertFalse(o.passed());
        assertTrue(o.differences().get(0).toString().contains("checked.jsonl: committed 'missing'"), o.differences().toString());

        Files.writeString(ledger, "{\"record\":\"mystery\"}\n");
        ReportDefinitionException e = assertThrows(ReportDefinitionException.class, () -> ReportCheck.check(def, out));
        assertTrue(e.getMessage().contains("checked.jsonl:1: field 'record': 'mystery'"), e.getMessage());
    }

    @Test
    void aFreshStoreKeepsTheCommittedRunsAndANewRunIsAnnouncedNotSwappedSilently() throws Exception {
        try (MlflowFileStore empty = new MlflowFileStore(tmp.resolve("empty"))) {
            StudyReport.Result r = StudyReport.write(def, empty, out, notices::add);
            assertEquals(3, r.computed().rows().get(0).cells().get(0).n(), "a clone without the store keeps the committed runs");
        }
        assertTrue(ReportCheck.check(def, out).passed());
        try (MlflowFileStore t = new MlflowFileStore(tmp.resolve("mlruns"))) {
            execution(t, 2, "ccccccc3", "c0ffee3", 0.999, 10_000);
            notices.clear();
            StudyReport.write(def, t, out, notices::add);
        }
        assertTrue(notices.stream().anyMatch(n -> n.contains("seed 2: run") && n.contains("is replaced by")), notices.toString());
    }

    @Test
    void rowsWhoseRunsAreGoneSaySoAndCannotBeChecked() throws Exception {
        Path ledger = RunLedger.fileFor(out, "checked");
        Files.writeString(ledger, "{\"record\":\"unavailable\",\"use\":\"row: MF\",\"reason\":\"the store was lost\","
                + "\"earlier_table\":\"results/checked.md at 0044d49\",\"earlier_runs\":{\"1\":\"abc\"}}\n");
        try (MlflowFileStore empty = new MlflowFileStore(tmp.resolve("empty"))) {
            StudyReport.write(def, empty, out, notices::add);
        }
        String md = Files.readString(out.resolve("checked.md"));
        assertTrue(md.contains("| MF | test RMSE (`best_test_rmse`) ↓ | 0.93 | — | runs not available | — |"), md);
        assertTrue(md.contains("⚠ Runs not available: the store was lost (earlier numbers: results/checked.md at 0044d49). Regenerate: `for N in 1 2 3"), md);
        ReportCheck.Outcome o = ReportCheck.check(def, out);
        assertTrue(o.passed());
        assertEquals(List.of("row 'MF': runs not available (the store was lost)"), o.notCheckable());
    }
}
