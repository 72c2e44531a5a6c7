package org.cinelab.runner;

import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.cinelab.runner.RunnerFixture.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code search.early_stopping} with {@link ScriptedModel}, whose validation curve bottoms out at
 * epoch {@code factors} and whose test metrics are the epoch its weights come from.
 */
class EarlyStoppingTest {
    /** factors 2: best 0.71 at epoch 2, 0.79 at epoch 10; factors 12: still improving, 0.78 at epoch 10. */
    private static final String SPEC = """
            experiment: {name: es-test}
            seed: 7
            dataset: {name: movielens-100k, split: u1}
            model: {type: biased-mf}
            search:
              scheduler: none
              max_epochs: 10
              early_stopping: {patience: 3}
            space:
              factors: [2, 12]
            objective: {metric: rmse, mode: min}
            """;

    @Test
    void aTrialStopsAfterPatienceEpochsWithoutImprovementAndIsJudgedAndTestedAtItsBestEpoch(@TempDir Path tmp) throws Exception {
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult result = run(tmp, SPEC, store, new ScriptedModel());
            var early = trial(result, "t001");
            assertEquals(5, early.epochs(), "best at 2, then 3 epochs without improvement");
            assertEquals("early stopped at epoch 5 (best epoch 2)", early.note());
            assertEquals(ScriptedModel.validation(2, 2), early.objective(), 1e-12);
            assertEquals(5, store.getMetricHistory(early.runId(), "val_rmse").size());
            assertEquals(List.of(2L), store.getMetricHistory(early.runId(), "test_rmse").stream().map(MetricPoint::step).toList(),
                    "test metrics are logged at the best epoch's step");
            assertEquals(2.0, store.getMetricHistory(early.runId(), "test_rmse").get(0).value(), "test on the best epoch's model");
            assertEquals("2", store.getTags(early.runId()).get("cinelab.best_epoch"));
            assertEquals("5", store.getTags(early.runId()).get("cinelab.epochs_trained"));

            var full = trial(result, "t002");
            assertEquals(10, full.epochs());
            assertEquals("completed 10 epochs", full.note());
            assertEquals("10", store.getTags(full.runId()).get("cinelab.best_epoch"));

            // Ranked by the best value (0.71 < 0.78), though its last value (0.73) is worse than t002's last.
            assertEquals("t001", result.best().trialId());
            assertEquals(ScriptedModel.validation(2, 2),
                    store.getMetricHistory(result.parentRunId(), "best_val_rmse").get(0).value(), 1e-12);
            assertEquals(2.0, store.getMetricHistory(result.parentRunId(), "best_test_rmse").get(0).value());
            assertEquals("2", Files.readString(artifacts(tmp, result, early.runId()).resolve("model/epoch.txt")),
                    "the exported model is the best epoch's");
            assertEquals("3", store.getParams(result.parentRunId()).get("search.early_stopping.patience"));
        }
    }

    @Test
    void withoutEarlyStoppingEveryTrialTrainsToTheEndAndIsJudgedByItsLastEpoch(@TempDir Path tmp) throws Exception {
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult result = run(tmp, SPEC.replace("  early_stopping: {patience: 3}\n", ""), store, new ScriptedModel());
            assertEquals(List.of(10, 10), result.trials().stream().map(ExperimentResult.TrialSummary::epochs).toList());
            assertEquals("t002", result.best().trialId(), "0.78 at epoch 10 beats 0.80");
            var t001 = trial(result, "t001");
            assertEquals(10.0, store.getMetricHistory(t001.runId(), "test_rmse").get(0).value());
            assertEquals(10L, store.getMetricHistory(t001.runId(), "test_rmse").get(0).step());
            assertNull(store.getTags(t001.runId()).get("cinelab.best_epoch"));
            assertNull(store.getParams(result.parentRunId()).get("search.early_stopping.patience"));
        }
    }

    /**
     * Hyperband (R = 9, eta = 3) over factors 1, 2, 12 with patience 1: factors 1 peaks at epoch 1
     * and stops at 2, factors 2 at 3; both are the best at every rung, so they win promotions they
     * cannot use: they finish with their best value and are never trained again.
     */
    @Test
    void underHyperbandATrialStoppedBeforeItsRungTargetCompetesWithItsBestValueAndTrainsNoMore(@TempDir Path tmp)
            throws Exception {
        String spec = SPEC.replace("scheduler: none", "scheduler: hyperband").replace("max_epochs: 10", "max_epochs: 9")
                .replace("patience: 3", "patience: 1").replace("factors: [2, 12]", "factors: [1, 2, 12]");
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult result = run(tmp, spec, store, new ScriptedModel());
            assertEquals(17, result.trials().size());
            for (var t : result.trials()) {
                assertEquals(TrialState.Status.FINISHED, t.status(), t.toString());
                assertEquals(RunStatus.FINISHED, store.getRun(t.runId()).orElseThrow().status());
                assertEquals(t.epochs(), store.getMetricHistory(t.runId(), "val_rmse").size(), "no epoch logged twice");
                int factors = Integer.parseInt(store.getParams(t.runId()).get("factors"));
                if (factors == 1) {
                    assertEquals(2, t.epochs(), t.toString());
                    assertEquals("early stopped at epoch 2 (best epoch 1)", t.note());
                    assertEquals(ScriptedModel.validation(1, 1), t.objective(), 1e-12);
                } else if (factors == 2 && t.epochs() == 3) {
                    assertEquals("early stopped at epoch 3 (best epoch 2)", t.note());
                } else {
                    assertFalse(t.note().startsWith("early"), t.toString());
                }
            }
            // In bracket s=1 (rung 0: 3 epochs) t010 (factors 1) stopped at epoch 2 and won the one
            // promotion to 9 epochs; it was not trained again.
            var t010 = trial(result, "t010");
            assertEquals("1", store.getParams(t010.runId()).get("factors"));
            assertEquals(2, t010.epochs());
            assertEquals("t001", result.best().trialId(), "best value 0.705; ties go to the lower id");
            assertEquals(1.0, result.best().test().get("rmse"));
        }
    }

    @Test
    void aKillMidTrialKeepsTheBestEpochCheckpointAndTheResumedRunEqualsAStraightOne(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, SPEC);
        Path data = syntheticData(tmp);
        Path state = tmp.resolve("state");
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            // t001 (factors 2) has trained epochs 1-3 (best 2) and dies before epoch 4.
            var killing = new ExperimentRunner(spec, store, options(data, state), new ScriptedModel(2, 4));
            Exception e = assertThrows(Exception.class, killing::run);
            assertInstanceOf(ScriptedModel.Killed.class, e.getCause(), e.toString());
            Path trialDir = new StateStore(state).trialDir("t001");
            try (var files = Files.list(trialDir)) {
                assertEquals(Set.of("checkpoint-2.bin", "checkpoint-3.bin"), files.map(f -> f.getFileName().toString())
                        .filter(n -> n.startsWith("checkpoint-")).collect(Collectors.toSet()));
            }
            TrialState killed = new StateStore(state).readTrial("t001");
            assertEquals(3, killed.epochsDone);
            assertEquals(2, killed.bestEpoch);

            var resumed = new ExperimentRunner(spec, store, new RunOptions(1, true, data, state, QUIET), new ScriptedModel()).run();
            try (MlflowFileStore clean = new MlflowFileStore(tmp.resolve("clean"))) {
                var straight = new ExperimentRunner(spec, clean, options(data, tmp.resolve("clean-state")), new ScriptedModel()).run();
                assertEquals(snapshot(clean, straight.experimentId()), snapshot(store, resumed.experimentId()));
            }
            var t001 = trial(resumed, "t001");
            assertEquals("early stopped at epoch 5 (best epoch 2)", t001.note());
            assertEquals(2.0, t001.test().get("rmse"), "restored from the checkpoint kept through the kill");
        }
    }

    @Test
    void aStateFileWrittenBeforeEarlyStoppingExistedStillLoads(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("trials/t001");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("state.json"), """
                {"trialId":"t001","runId":"r1","epochsDone":2,"status":"RUNNING","history":[
                 {"epoch":1,"trainLoss":1.0,"validation":{"rmse":0.9}},
                 {"epoch":2,"trainLoss":0.5,"validation":{"rmse":0.8}}],"test":{}}
                """);
        TrialState s = new StateStore(tmp).readTrial("t001");
        assertEquals(0, s.bestEpoch);
        assertFalse(s.earlyStopped);
        assertEquals(2, s.modelEpoch());
        assertEquals(0.8, s.objective("rmse"));
    }

    private static ExperimentResult run(Path tmp, String yaml, MlflowFileStore store, ScriptedModel model) throws Exception {
        return new ExperimentRunner(spec(tmp, yaml), store, options(syntheticData(tmp), tmp.resolve("state")), model).run();
    }

    private static ExperimentResult.TrialSummary trial(ExperimentResult result, String id) {
        return result.trials().stream().filter(t -> t.trialId().equals(id)).findFirst().orElseThrow();
    }

    private static Path artifacts(Path tmp, ExperimentResult result, String runId) throws IOException {
        return tmp.resolve("mlruns").resolve(result.experimentId()).resolve(runId).resolve("artifacts");
    }
}
