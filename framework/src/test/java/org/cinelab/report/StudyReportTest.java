package org.cinelab.report;

import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.runner.ExperimentResult;
import org.cinelab.runner.ExperimentRunner;
import org.cinelab.runner.RunOptions;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecLoader;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Study tables from a file store filled by the real runner on generated MovieLens-format data. */
class StudyReportTest {
    @TempDir
    static Path tmp;
    static Path store;
    static Path specFile;
    /** seed -> the parent run's best_test_rmse, and the child run's test_rmse at lr = 0.01. */
    static final Map<Integer, Double> bestTestRmse = new LinkedHashMap<>();
    static final Map<Integer, Double> childTestRmse = new LinkedHashMap<>();

    static final String SPEC = """
            experiment:
              name: report-test
              description: generated data
            seed: 7
            dataset:
              name: movielens-100k
              split: u1
            model:
              type: biased-mf
              params: {factors: 4}
            search:
              sampler: grid
              scheduler: none
              max_epochs: 2
              refit: true          # the refit run is a child too, but not a trial: plots and rows skip it
            space:
              lr: [0.003, 0.01]
            objective: {metric: rmse, mode: min}
            paper:
              test_rmse: 0.95
            """;

    @BeforeAll
    static void runTwoSeeds() throws Exception {
        Path data = tmp.resolve("data");
        SyntheticMovieLens.write(data, 3000, 800, 5);
        specFile = tmp.resolve("report-test.yaml");
        Files.writeString(specFile, SPEC);
        store = tmp.resolve("mlruns");
        try (MlflowFileStore tracker = new MlflowFileStore(store)) {
            for (long seed : new long[] {1, 2}) {
                ExperimentSpec spec = SpecLoader.load(specFile).withSeed(seed);
                ExperimentResult result = new ExperimentRunner(spec, tracker, new RunOptions(1, false, data,
                        tmp.resolve("state-" + seed), new PrintWriter(Writer.nullWriter()))).run();
                bestTestRmse.put((int) seed, tracker.getMetricHistory(result.parentRunId(), "best_test_rmse").get(0).value());
                for (RunInfo child : tracker.listRuns(result.experimentId())) {
                    Map<String, String> tags = tracker.getTags(child.runId());
                    if (result.parentRunId().equals(tags.get("mlflow.parentRunId")) && !tags.containsKey("cinelab.refit_of")
                            && "0.01".equals(tracker.getParams(child.runId()).get("lr"))) {
                        childTestRmse.put((int) seed, tracker.getMetricHistory(child.runId(), "test_rmse").get(0).value());
                    }
                }
            }
        }
    }

    private static ReportDefinition definition(String yaml) throws Exception {
        Path file = tmp.resolve("defs").resolve("study.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return ReportDefinition.load(file);
    }

    private static final String DEFINITION = """
            title: "A study"
            intro: generated data, two seeds run of three
            seeds: [1, 2, 3]
            rows:
              - label: MF best trial
                experiment: report-test
                spec: experiments/report-test.yaml
                metric: best_test_rmse
                paper: 0.934
                direction: lower
                protocol: u1 of generated data
              - label: MF at lr 0.01
                experiment: report-test
                spec: experiments/report-test.yaml
                seeds: [1, 2]
                metrics:
                  - {label: test RMSE, metric: test_rmse, run: child, where: {lr: 1e-2}, paper: "spec:test_rmse", direction: lower}
                flag: the paper's number leaks the test set
              - label: Never run
                experiment: not-an-experiment
                spec: experiments/s9.yaml
                metric: top_10_accuracy
                paper: 0.9544
                direction: higher
            plots:
              - {file: rmse-vs-lr.png, title: test RMSE vs lr, experiment: report-test, spec: experiments/report-test.yaml, x: lr, y: test_rmse, log_x: true}
              - {file: nothing.png, title: not run, experiment: not-an-experiment, spec: experiments/s9.yaml, args: "--data-dir ../shared/data", x: lr, y: test_rmse}
            """;

    private static double mean(Map<Integer, Double> v) { return v.values().stream().mapToDouble(d -> d).average().orElseThrow(); }

    private static double sd(Map<Integer, Double> v) {
        double m = mean(v);
        return Math.sqrt(v.values().stream().mapToDouble(d -> (d - m) * (d - m)).sum() / (v.size() - 1));
    }

    @Test
    void oursIsTheMeanAndSampleSdOverTheSeedsThatRanAgainstThePaper() throws Exception {
        try (MlflowFileStore tracker = new MlflowFileStore(store)) {
            StudyReport.Result r = StudyReport.write(definition(DEFINITION), tracker, tmp.resolve("out1"), notice -> { });
            StudyReport.Cell best = r.computed().rows().get(0).cells().get(0);
            assertEquals(bestTestRmse, best.values());
            assertEquals(mean(bestTestRmse), best.mean(), 1e-12);
            assertEquals(sd(bestTestRmse), best.sd(), 1e-12);
            assertEquals(mean(bestTestRmse) - 0.934, best.difference(), 1e-12);
            assertEquals(2, best.n());

            String md = Files.readString(r.markdown());
            String ours = ReportMarkdown.fixed(mean(bestTestRmse), 4) + " ± " + ReportMarkdown.fixed(sd(bestTestRmse), 4);
            assertTrue(md.contains("| MF best trial | best_test_rmse ↓ | 0.934 | — | " + ours + " | 2/3 (missing 3) | "
                    + ReportMarkdown.signed(mean(bestTestRmse) - 0.934, 4)), md);
            assertTrue(md.contains("for N in 1 2 3; do ./cinelab run experiments/report-test.yaml --seed $N; done"), md);
        }
    }

    @Test
    void aChildMetricIsTakenFromTheTrialWhoseParamsMatchAndThePaperFromTheLoggedSpec() throws Exception {
        try (MlflowFileStore tracker = new MlflowFileStore(store)) {
            StudyReport.Result r = StudyReport.write(definition(DEFINITION), tracker, tmp.resolve("out2"), notice -> { });
            StudyReport.Cell child = r.computed().rows().get(1).cells().get(0);
            assertEquals(childTestRmse, child.values());
            assertEquals(0.95, child.paper());
            String md = Files.readString(r.markdown());
            assertTrue(md.contains("| ⚠ MF at lr 0.01 | test RMSE (`test_rmse`) ↓, child run with `lr=1e-2` | 0.95 | "), md);
            assertTrue(md.contains("⚠ **Flagged:** the paper's number leaks the test set"), md);
            assertTrue(md.contains(" | 2/2 | "), md);
        }
    }

    @Test
    void aRowWithNoRunsSaysNotRunYetWithTheCommand() throws Exception {
        try (MlflowFileStore tracker = new MlflowFileStore(store)) {
            StudyReport.Result r = StudyReport.write(definition(DEFINITION), tracker, tmp.resolve("out3"), notice -> { });
            assertTrue(r.computed().rows().get(2).notRun());
            String md = Files.readString(r.markdown());
            assertTrue(md.contains("| Never run | top_10_accuracy ↑ | 0.9544 | — | not run yet | 0/3 | — | — | Run: `for N in 1 2 3; "
                    + "do ./cinelab run experiments/s9.yaml --seed $N; done` |"), md);
            // the figure's command carries its extra arguments, as a row's does
            assertTrue(md.contains("not run yet: `for N in 1 2 3; do ./cinelab run experiments/s9.yaml --seed $N --data-dir ../shared/data; done`"), md);
        }
    }

    @Test
    void theLatestFinishedParentOfASeedIsUsedAndUnfinishedOnesAreIgnored() throws Exception {
        try (MlflowFileStore tracker = new MlflowFileStore(store)) {
            String exp = tracker.findExperimentByName("report-test").orElseThrow().experimentId();
            // a later execution of seed 1 that was killed must not replace the finished one
            String killed = tracker.createRun(exp, "report-test none", System.currentTimeMillis() + 10_000,
                    Map.of("cinelab.seed", "1", "cinelab.role", "parent"));
            tracker.logMetrics(killed, List.of(new org.cinelab.tracking.MetricPoint("best_test_rmse", 9.0, 0, 0)));
            tracker.setRunStatus(killed, RunStatus.KILLED, System.currentTimeMillis());
            StudyReport.Result r = StudyReport.write(definition(DEFINITION), tracker, tmp.resolve("out4"), notice -> { });
            assertEquals(bestTestRmse.get(1), r.computed().rows().get(0).cells().get(0).values().get(1));
        }
    }

    @Test
    void theFigurePlotsTheChildMetricAgainstItsParamPerSeed() throws Exception {
        try (MlflowFileStore tracker = new MlflowFileStore(store)) {
            StudyReport.Result r = StudyReport.write(definition(DEFINITION), tracker, tmp.resolve("out5"), notice -> { });
            StudyReport.PlotResult plot = r.computed().plots().get(0);
            assertEquals(List.of("seed 1", "seed 2"), new ArrayList<>(plot.series().keySet()));
            double[][] seed1 = plot.series().get("seed 1");
            assertEquals(2, seed1.length);
            assertEquals(0.003, seed1[0][0], 1e-12);
            assertEquals(childTestRmse.get(1), seed1[1][1], 1e-12);
            assertTrue(Files.size(tmp.resolve("out5/rmse-vs-lr.png")) > 1000);
            assertTrue(r.computed().plots().get(1).empty());
            assertFalse(Files.exists(tmp.resolve("out5/nothing.png")));
            String md = Files.readString(r.markdown());
            assertTrue(md.contains("![test RMSE vs lr](rmse-vs-lr.png)"), md);
            // the marked trial's x as the spec wrote it, not padded to four significant digits (0.003000)
            assertTrue(java.util.regex.Pattern.compile("seed 1 lr = (0\\.003|0\\.01), ").matcher(md).find(), md);
        }
    }

    @Test
    void aMarkedValueIsWrittenWithoutPadding() {
        assertEquals("7", ReportMarkdown.compact(7));
        assertEquals("0.003", ReportMarkdown.compact(0.003));
        assertEquals("0.0001235", ReportMarkdown.compact(1.23456e-4));
        assertEquals("-2.5", ReportMarkdown.compact(-2.5));
        assertEquals("123500", ReportMarkdown.compact(123456.7));
    }
}
