package org.cinelab.runner;

import org.cinelab.cli.Main;
import org.cinelab.data.sets.DatasetRegistry;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.RatingSplits;
import org.cinelab.models.dec.GeneratedTitles;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.cinelab.runner.RunnerFixture.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code search.refit} with {@link ScriptedModel}: the best trial's configuration is retrained on
 * training + validation for the epochs it was chosen at, in one more child run.
 */
class RefitTest {
    /** factors 2 (t001) is the best, at epoch 2, and stops early at epoch 5; factors 12 trains 10 epochs. */
    private static final String SPEC = """
            experiment: {name: refit-test}
            seed: 7
            dataset: {name: movielens-100k, split: u1}
            model: {type: biased-mf}
            search:
              scheduler: none
              max_epochs: 10
              early_stopping: {patience: 3}
              refit: true
            space:
              factors: [2, 12]
            objective: {metric: rmse, mode: min}
            """;

    @Test
    void theBestTrialIsRetrainedOnTrainingPlusValidationForItsBestEpochAndItsTestMetricsGoToTheParent(@TempDir Path tmp)
            throws Exception {
        ScriptedModel model = new ScriptedModel();
        StringWriter printed = new StringWriter();
        Path data = syntheticData(tmp);
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult result = new ExperimentRunner(spec(tmp, SPEC), store,
                    new RunOptions(1, false, data, tmp.resolve("state"), new PrintWriter(printed, true)), model).run();
            assertEquals("t001", result.best().trialId());
            RunInfo refit = refitRun(store, result);
            String t001 = result.best().runId();

            Map<String, String> tags = store.getTags(refit.runId());
            assertEquals("refit t001 factors=2", refit.runName());
            assertEquals(RunStatus.FINISHED, refit.status());
            assertEquals("t001", tags.get("cinelab.refit_of"));
            assertEquals(result.parentRunId(), tags.get("mlflow.parentRunId"));
            assertNotEquals(store.getTags(t001).get("cinelab.split_id"), tags.get("cinelab.split_id"));
            Map<String, String> params = store.getParams(refit.runId());
            assertEquals("2", params.get("factors"));
            assertEquals(store.getParams(t001).get("trial.seed"), params.get("trial.seed"));
            assertEquals("true", params.get(RatingSplits.REFIT_PARAM));
            assertNull(store.getParams(t001).get(RatingSplits.REFIT_PARAM));

            assertEquals(List.of(1L, 2L), steps(store, refit.runId(), "train_loss"), "the best trial's best epoch, 2");
            assertTrue(store.getMetricKeys(refit.runId()).stream().noneMatch(k -> k.startsWith("val_")),
                    store.getMetricKeys(refit.runId()).toString());
            assertEquals(2.0, store.getMetricHistory(refit.runId(), "test_rmse").get(0).value(), "tested at epoch 2");
            assertEquals("2", Files.readString(artifacts(tmp, result, refit.runId()).resolve("model/epoch.txt")));

            RatingSplits splits = (RatingSplits) DatasetRegistry.find("movielens-100k").orElseThrow()
                    .load(new DatasetRequest("u1", Map.of(), 7, data, s -> {}));
            int train = splits.train().size();
            assertEquals(List.of(train, train + splits.validation().size()),
                    model.trainSizes.stream().distinct().toList(), "search trials on train, the refit on train + validation");

            String parent = result.parentRunId();
            assertEquals(refit.runId(), store.getTags(parent).get("cinelab.refit_run_id"));
            assertEquals(2.0, store.getMetricHistory(parent, "refit_test_rmse").get(0).value());
            assertEquals(2.0, store.getMetricHistory(parent, "refit_test_mae").get(0).value());
            assertEquals(ScriptedModel.validation(2, 2), store.getMetricHistory(parent, "best_val_rmse").get(0).value(), 1e-12,
                    "best_* still describe the selected trial");
            assertEquals("true", store.getParams(parent).get("search.refit"));
            assertTrue(printed.toString().contains("Refit of t001 on training + validation (2 epochs): "), printed.toString());
            assertTrue(printed.toString().contains("test_rmse=2.0000"), printed.toString());
        }
    }

    @Test
    void withoutEarlyStoppingTheRefitTrainsAsManyEpochsAsTheBestTrial(@TempDir Path tmp) throws Exception {
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult result = run(tmp, SPEC.replace("  early_stopping: {patience: 3}\n", ""), store);
            assertEquals("t002", result.best().trialId());
            RunInfo refit = refitRun(store, result);
            assertEquals(10, steps(store, refit.runId(), "train_loss").size());
            assertEquals(10.0, store.getMetricHistory(result.parentRunId(), "refit_test_rmse").get(0).value());
        }
    }

    @Test
    void withoutRefitThereIsNoExtraRun(@TempDir Path tmp) throws Exception {
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult result = run(tmp, SPEC.replace("  refit: true\n", ""), store);
            assertEquals(3, store.listRuns(result.experimentId()).size(), "the parent and two trials");
            assertTrue(store.getMetricKeys(result.parentRunId()).stream().noneMatch(k -> k.startsWith("refit_")));
            assertNull(store.getTags(result.parentRunId()).get("cinelab.refit_run_id"));
            assertEquals("false", store.getParams(result.parentRunId()).get("search.refit"));
        }
    }

    @Test
    void refitOnDataThatCannotMergeValidationIntoTrainingStopsBeforeTrainingWithExitCode2(@TempDir Path tmp)
            throws Exception {
        Path data = tmp.resolve("data");
        GeneratedTitles.load(data, 60, Map.of());
        Path spec = tmp.resolve("dec.yaml");
        Files.writeString(spec, """
                experiment: {name: refit-text}
                dataset: {name: netflix-titles, split: random}
                model: {type: dec}
                search: {max_epochs: 1, refit: true}
                """);
        Path state = tmp.resolve("state");
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(java.io.Writer.nullWriter()));

        int status = cli.execute("run", spec.toString(), "--data-dir", data.toString(),
                "--tracking-uri", tmp.resolve("mlruns").toString(), "--state-dir", state.toString());

        assertEquals(Main.EXIT_BAD_INPUT, status, err.toString());
        assertTrue(err.toString().contains("search.refit") && err.toString().contains("netflix-titles"), err.toString());
        assertFalse(Files.exists(state.resolve("experiment.json")), "no parent run was started");
        assertFalse(Files.exists(state.resolve("trials")), "nothing trained");
    }

    @Test
    void aKillDuringTheRefitResumesItWithoutRepeatingEpochsAndEqualsAStraightRun(@TempDir Path tmp) throws Exception {
        Path data = syntheticData(tmp);
        Path state = tmp.resolve("state");
        var spec = spec(tmp, SPEC);
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            Exception e = assertThrows(Exception.class,
                    () -> new ExperimentRunner(spec, store, options(data, state), ScriptedModel.killingRefitAt(2)).run());
            assertInstanceOf(ScriptedModel.Killed.class, e.getCause(), e.toString());
            assertEquals(1, new StateStore(state).readTrial(ExperimentRunner.REFIT_ID).epochsDone);

            var resumed = new ExperimentRunner(spec, store, new RunOptions(1, true, data, state, QUIET), new ScriptedModel()).run();
            for (RunInfo r : store.listRuns(resumed.experimentId())) assertEquals(RunStatus.FINISHED, r.status(), r.runName());
            assertEquals(List.of(1L, 2L), steps(store, refitRun(store, resumed).runId(), "train_loss"));
            try (MlflowFileStore clean = new MlflowFileStore(tmp.resolve("clean"))) {
                var straight = new ExperimentRunner(spec, clean, options(data, tmp.resolve("clean-state")), new ScriptedModel()).run();
                assertEquals(snapshot(clean, straight.experimentId()), snapshot(store, resumed.experimentId()));
            }
        }
    }

    private static ExperimentResult run(Path tmp, String yaml, MlflowFileStore store) throws Exception {
        return new ExperimentRunner(spec(tmp, yaml), store, options(syntheticData(tmp), tmp.resolve("state")),
                new ScriptedModel()).run();
    }

    private static RunInfo refitRun(MlflowFileStore store, ExperimentResult result) throws Exception {
        List<RunInfo> refits = new java.util.ArrayList<>();
        for (RunInfo r : store.listRuns(result.experimentId())) {
            if ("refit".equals(store.getTags(r.runId()).get("cinelab.trial_id"))) refits.add(r);
        }
        assertEquals(1, refits.size(), "one refit run");
        return refits.get(0);
    }

    private static List<Long> steps(MlflowFileStore store, String runId, String key) throws Exception {
        return store.getMetricHistory(runId, key).stream().map(MetricPoint::step).sorted().toList();
    }

    private static Path artifacts(Path tmp, ExperimentResult result, String runId) {
        return tmp.resolve("mlruns").resolve(result.experimentId()).resolve(runId).resolve("artifacts");
    }
}
