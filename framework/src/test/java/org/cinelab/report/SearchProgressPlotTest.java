package org.cinelab.report;

import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The best_vs_epochs figure, from a file store written with the tracking classes (no training). */
class SearchProgressPlotTest {
    @TempDir
    Path tmp;

    private static final String DEFINITION = """
            title: searches
            seeds: [1, 2]
            rows:
              - {label: hb, experiment: hb, spec: experiments/hb.yaml, metric: best_test_rmse, direction: lower}
            plots:
              - file: progress.png
                title: best val RMSE vs epochs
                kind: best_vs_epochs
                objective: rmse
                experiments:
                  - {label: Hyperband, experiment: hb, spec: experiments/hb.yaml}
                  - {experiment: rand, spec: experiments/rand.yaml}
                  - {experiment: never, spec: experiments/never.yaml, args: "--data-dir d"}
            """;

    /** A finished parent (seed tag, objective params) and its children, each child's val_rmse as {timestamp, step, value}. */
    private static String execution(MlflowFileStore t, String experiment, int seed, long start, String mode, double[][]... children)
            throws IOException {
        String exp = t.getOrCreateExperiment(experiment, Map.of());
        String parent = t.createRun(exp, experiment + " parent", start, Map.of("cinelab.seed", Integer.toString(seed)));
        t.logParams(parent, Map.of("objective.metric", "rmse", "objective.mode", mode));
        int i = 0;
        for (double[][] points : children) {
            String child = t.createRun(exp, String.format("t%03d", ++i), start, Map.of("mlflow.parentRunId", parent));
            List<MetricPoint> logged = new ArrayList<>();
            for (double[] p : points) logged.add(new MetricPoint("val_rmse", p[2], (long) p[1], (long) p[0]));
            t.logMetrics(child, logged);
            t.setRunStatus(child, i == 2 ? RunStatus.KILLED : RunStatus.FINISHED, start + 100);
        }
        t.setRunStatus(parent, RunStatus.FINISHED, start + 100);
        return parent;
    }

    private ReportDefinition definition(String yaml) throws IOException {
        Path file = tmp.resolve("study.yaml");
        Files.writeString(file, yaml);
        return ReportDefinition.load(file);
    }

    @Test
    void eachSearchBecomesItsBestTrialSoFarAsCountedAgainstCumulativeEpochsInLoggingOrder() throws Exception {
        try (MlflowFileStore t = new MlflowFileStore(tmp.resolve("mlruns"))) {
            // Two trials trained in parallel: points interleave by timestamp; a tie (t=30) is ordered by step.
            // The second child was stopped (KILLED): its epochs were still spent.
            execution(t, "hb", 1, 1000, "min",
                    new double[][] {{10, 1, 1.2}, {30, 2, 1.0}, {50, 3, 0.95}},
                    new double[][] {{20, 1, 1.1}, {30, 3, 0.9}, {25, 2, 1.05}});
            // An older execution of the same seed is ignored; so is seed 2.
            execution(t, "rand", 1, 500, "min", new double[][] {{1, 1, 0.1}});
            execution(t, "rand", 1, 2000, "min", new double[][] {{5, 1, 1.3}, {6, 2, 1.4}, {7, 3, 1.25}});
            execution(t, "rand", 2, 3000, "min", new double[][] {{5, 1, 0.2}});

            StudyReport.Result r = StudyReport.write(definition(DEFINITION), t, tmp.resolve("out"), notice -> { });

            StudyReport.PlotResult plot = r.computed().plots().get(0);
            assertEquals(List.of("Hyperband", "rand", "never"), new ArrayList<>(plot.series().keySet()));
            assertArrayEquals(new double[][] {{1, 1.2}, {2, 1.1}, {3, 1.05}, {4, 1.0}, {5, 0.9}, {6, 0.9}},
                    plot.series().get("Hyperband"));
            // a trial counts at its latest epoch (no early stopping), so a worse epoch raises the curve
            assertArrayEquals(new double[][] {{1, 1.3}, {2, 1.4}, {3, 1.25}}, plot.series().get("rand"));
            assertEquals(0, plot.series().get("never").length);
            assertEquals(List.of(1), plot.seeds());
            assertTrue(Files.size(tmp.resolve("out/progress.png")) > 1000);
            String md = Files.readString(r.markdown());
            assertTrue(md.contains("![best val RMSE vs epochs](progress.png)"), md);
            assertTrue(md.contains("- Hyperband (hb): 6 epochs, best 0.9000"), md);
            assertTrue(md.contains("- never (never): not run yet: `./cinelab run experiments/never.yaml --seed 1 --data-dir d`"), md);
        }
    }

    @Test
    void aMaximisedObjectiveCountsEachTrialAtItsLatestEpochAndTheSeedCanBeChosen() throws Exception {
        try (MlflowFileStore t = new MlflowFileStore(tmp.resolve("mlruns"))) {
            execution(t, "hb", 2, 1000, "max", new double[][] {{1, 1, 0.5}, {2, 2, 0.7}, {3, 3, 0.6}}, new double[][] {{4, 1, 0.55}});
            String yaml = DEFINITION.replace("objective: rmse", "objective: rmse\n    seed: 2");
            StudyReport.PlotResult plot = StudyReport.write(definition(yaml), t, tmp.resolve("out"), notice -> { }).computed().plots().get(0);
            assertArrayEquals(new double[][] {{1, 0.5}, {2, 0.7}, {3, 0.6}, {4, 0.6}}, plot.series().get("Hyperband"));
        }
    }

    @Test
    void withEarlyStoppingATrialCountsAtItsBestEpoch() {
        List<SearchProgress.Point> points = List.of(new SearchProgress.Point("a", 1, 1, 1.3), new SearchProgress.Point("a", 2, 2, 1.4),
                new SearchProgress.Point("a", 3, 3, 1.25));
        assertArrayEquals(new double[][] {{1, 1.3}, {2, 1.3}, {3, 1.25}}, SearchProgress.curve(points, false, true));
        assertArrayEquals(new double[][] {{1, 1.3}, {2, 1.4}, {3, 1.25}}, SearchProgress.curve(points, false, false));
    }

    @Test
    void theCurveEndsAtTheParentsBestValAndADifferenceIsReportedAsADisagreement() throws Exception {
        try (MlflowFileStore t = new MlflowFileStore(tmp.resolve("mlruns"))) {
            String parent = execution(t, "hb", 1, 1000, "min", new double[][] {{1, 1, 0.9}, {2, 2, 0.95}}, new double[][] {{3, 1, 0.93}});
            t.logMetrics(parent, List.of(new MetricPoint("best_val_rmse", 0.93, 0, 5)));
            StudyReport.Computed c = StudyReport.write(definition(DEFINITION), t, tmp.resolve("out"), notice -> { }).computed();
            StudyReport.Agreement a = c.plots().get(0).agreements().get(0);
            assertEquals(0.93, a.figureValue());
            assertTrue(a.holds(), a.toString());
            assertTrue(c.disagreements().isEmpty());
            // a parent claiming another value than its trials show is caught
            RunLedger ledger = RunLedger.read(RunLedger.fileFor(tmp.resolve("out"), "study"));
            List<LedgerRun> edited = new ArrayList<>();
            for (LedgerRun r : ledger.runs()) {
                if (!r.isParent()) { edited.add(r); continue; }
                Map<String, Double> m = new java.util.TreeMap<>(r.metrics());
                m.put("best_val_rmse", 0.9);
                edited.add(new LedgerRun(r.record(), r.usedBy(), r.role(), r.runId(), r.parentRunId(), r.experiment(), r.spec(), r.seed(),
                        r.trialSeed(), r.runName(), r.status(), r.startTime(), r.specSha256(), r.commit(), r.dirty(), r.datasetSha256(),
                        r.splitId(), r.versions(), r.bestRunId(), r.hyperparameters(), r.searched(), r.params(), m, r.histories(), r.paper()));
            }
            StudyReport.Computed tampered = StudyReport.compute(definition(DEFINITION), new RunLedger(edited, List.of()));
            assertEquals(1, tampered.disagreements().size());
            assertEquals(0.9, tampered.disagreements().get(0).tableValue());
        }
    }

    @Test
    void nothingRunWritesNoImageAndSaysHowToRunEachSearch() throws Exception {
        try (MlflowFileStore t = new MlflowFileStore(tmp.resolve("mlruns"))) {
            StudyReport.Result r = StudyReport.write(definition(DEFINITION), t, tmp.resolve("out"), notice -> { });
            assertTrue(r.computed().plots().get(0).empty());
            assertFalse(Files.exists(tmp.resolve("out/progress.png")));
            assertTrue(Files.readString(r.markdown()).contains("- Hyperband (hb): not run yet: `./cinelab run experiments/hb.yaml --seed 1`"));
        }
    }

    @Test
    void keysOfTheOtherKindAndAnUnknownKindAreRejectedWithTheirLine() throws IOException {
        ReportDefinitionException e = assertThrows(ReportDefinitionException.class,
                () -> definition(DEFINITION.replace("objective: rmse", "objective: rmse\n    x: lr")));
        assertTrue(e.getMessage().contains("field 'plots[0].x': not used by kind best_vs_epochs"), e.getMessage());
        e = assertThrows(ReportDefinitionException.class, () -> definition(DEFINITION.replace("best_vs_epochs", "race")));
        assertTrue(e.getMessage().contains("'race', expected points or best_vs_epochs"), e.getMessage());
        String empty = DEFINITION.substring(0, DEFINITION.indexOf("    experiments:")) + "    experiments: []\n";
        e = assertThrows(ReportDefinitionException.class, () -> definition(empty));
        assertTrue(e.getMessage().contains("field 'plots[0].experiments': expected at least one"), e.getMessage());
    }
}
