package org.cinelab.runner;

import org.cinelab.data.PreparedData;
import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.models.BiasedMatrixFactorization;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.search.Search;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.cinelab.runner.RunnerFixture.*;
import static org.junit.jupiter.api.Assertions.*;

class ExperimentRunnerTest {

    @Test
    void aHyperbandExperimentLogsOneParentAndOneChildPerPlannedTrial(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, HYPERBAND_SPEC);
        int planned = Search.of(spec.search(), spec.space(), spec.seed(), spec.objective()).scheduler().maxTrials();
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult result = new ExperimentRunner(spec, store, options(syntheticData(tmp), tmp.resolve("state"))).run();
            List<RunInfo> runs = store.listRuns(result.experimentId());
            assertEquals(planned + 1, runs.size());
            long children = runs.stream().filter(r -> {
                try {
                    return result.parentRunId().equals(store.getTags(r.runId()).get("mlflow.parentRunId"));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }).count();
            assertEquals(planned, children);
            assertTrue(runs.stream().allMatch(r -> r.status() == RunStatus.FINISHED));

            var best = result.best();
            assertNotNull(best);
            Map<String, String> params = store.getParams(best.runId());
            assertEquals("8", params.get("factors"));
            assertEquals("movielens-100k", params.get("dataset.name"));
            assertEquals("u1", params.get("split"));
            assertNotNull(params.get("lr"));
            assertEquals(best.epochs(), store.getMetricHistory(best.runId(), "val_rmse").size());
            assertEquals(1, store.getMetricHistory(best.runId(), "test_rmse").size());
            Path artifacts = tmp.resolve("mlruns").resolve(result.experimentId()).resolve(best.runId()).resolve("artifacts");
            assertTrue(Files.exists(artifacts.resolve("history.csv")));
            assertTrue(Files.exists(artifacts.resolve("model/model.bin")));
            Path parentArtifacts = tmp.resolve("mlruns").resolve(result.experimentId()).resolve(result.parentRunId()).resolve("artifacts");
            assertEquals(spec.resolvedYaml(), Files.readString(parentArtifacts.resolve("spec.yaml")));
            Map<String, String> parentTags = store.getTags(result.parentRunId());
            assertEquals(spec.sha256(), parentTags.get("cinelab.spec_sha256"));
            assertEquals(best.trialId(), parentTags.get("cinelab.best_trial"));
            assertEquals(best.objective(), store.getMetricHistory(result.parentRunId(), "best_val_rmse").get(0).value());
        }
    }

    @Test
    void theSameSpecAndSeedGiveIdenticalMetrics(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, HYPERBAND_SPEC);
        Path data = syntheticData(tmp);
        try (MlflowFileStore a = new MlflowFileStore(tmp.resolve("a"));
             MlflowFileStore b = new MlflowFileStore(tmp.resolve("b"))) {
            var ra = new ExperimentRunner(spec, a, options(data, tmp.resolve("sa"))).run();
            var rb = new ExperimentRunner(spec, b, new RunOptions(2, false, data, tmp.resolve("sb"), QUIET)).run();
            assertEquals(snapshot(a, ra.experimentId()), snapshot(b, rb.experimentId()));
        }
    }

    @Test
    void aTrialThatThrowsOrDivergesIsRecordedAsFailedAndTheExperimentGoesOn(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, HYPERBAND_SPEC.replace("scheduler: hyperband", "scheduler: none\n  trials: 4")
                .replace("sampler: random", "sampler: random"));
        ModelFactory flaky = new FailingModel(new BiasedMatrixFactorization());
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            var result = new ExperimentRunner(spec, store, options(syntheticData(tmp), tmp.resolve("state")), flaky).run();
            var failed = result.trials().stream().filter(t -> t.status() == TrialState.Status.FAILED).toList();
            assertEquals(2, failed.size(), result.trials().toString());
            var thrown = failed.stream().filter(t -> t.trialId().equals("t001")).findFirst().orElseThrow();
            assertEquals("injected failure at epoch 2", thrown.note(), "the reason in words, no Java class name");
            var diverged = failed.stream().filter(t -> t.trialId().equals("t002")).findFirst().orElseThrow();
            assertEquals("training loss became NaN at epoch 3", diverged.note());
            assertEquals(RunStatus.FAILED, store.getRun(thrown.runId()).orElseThrow().status());
            assertEquals("injected failure at epoch 2", store.getTags(thrown.runId()).get("cinelab.failure"));
            assertEquals(1, store.getMetricHistory(thrown.runId(), "val_rmse").size());
            assertNotNull(result.best());
            assertEquals(RunStatus.FINISHED, store.getRun(result.parentRunId()).orElseThrow().status());
        }
    }

    @Test
    void eachHyperparameterIsLoggedOnceInSpecSyntax(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, HYPERBAND_SPEC);
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            var result = new ExperimentRunner(spec, store, options(syntheticData(tmp), tmp.resolve("state"))).run();
            Map<String, String> parent = store.getParams(result.parentRunId());
            assertEquals("loguniform(0.002, 0.02)", parent.get("space.lr"));
            assertEquals("uniform(0.01, 0.1)", parent.get("space.reg"));
            assertEquals("8", parent.get("factors"));
            assertEquals("biased-mf", parent.get("model.type"));
            assertEquals("random", parent.get("search.sampler"));
            assertEquals(List.of("model.type"), parent.keySet().stream().filter(k -> k.startsWith("model.")).toList());
            Map<String, String> child = store.getParams(result.best().runId());
            assertEquals(List.of("model.type"), child.keySet().stream().filter(k -> k.startsWith("model.")).toList());
            assertEquals(Double.toString((Double) result.best().values().get("lr")), child.get("lr"));
            assertEquals("8", child.get("factors"));
        }
    }

    @Test
    void aFinishedExecutionKeepsItsStatesButNotItsCheckpointsUnlessAsked(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, HYPERBAND_SPEC);
        Path data = syntheticData(tmp);
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            new ExperimentRunner(spec, store, options(data, tmp.resolve("pruned"))).run();
            new ExperimentRunner(spec, store, options(data, tmp.resolve("kept")).withKeepCheckpoints(true)).run();
        }
        try (var files = Files.walk(tmp.resolve("pruned"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.startsWith("checkpoint-")), names.toString());
            assertTrue(names.contains("state.json"));
        }
        try (var files = Files.walk(tmp.resolve("kept"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("checkpoint-")));
        }
    }

    @Test
    void resumeOfAFinishedExecutionTrainsNothingAndLogsNothingTwice(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, HYPERBAND_SPEC);
        Path data = syntheticData(tmp);
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            var first = new ExperimentRunner(spec, store, options(data, tmp.resolve("state"))).run();
            Map<String, String> before = snapshot(store, first.experimentId());
            var again = new ExperimentRunner(spec, store, new RunOptions(1, true, data, tmp.resolve("state"), QUIET)).run();
            assertEquals(first.parentRunId(), again.parentRunId());
            assertEquals(before, snapshot(store, first.experimentId()));
        }
    }

    @Test
    void resumeRefusesAChangedSpecAndAMissingState(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, HYPERBAND_SPEC);
        Path data = syntheticData(tmp);
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            var e = assertThrows(ExperimentRunner.ResumeException.class,
                    () -> new ExperimentRunner(spec, store, new RunOptions(1, true, data, tmp.resolve("none"), QUIET)).run());
            assertTrue(e.getMessage().startsWith("nothing to resume"), e.getMessage());
            new ExperimentRunner(spec, store, options(data, tmp.resolve("state"))).run();
            ExperimentSpec changed = spec(tmp, HYPERBAND_SPEC.replace("seed: 7", "seed: 8"));
            var e2 = assertThrows(ExperimentRunner.ResumeException.class,
                    () -> new ExperimentRunner(changed, store, new RunOptions(1, true, data, tmp.resolve("state"), QUIET)).run());
            assertTrue(e2.getMessage().contains("changed since the interrupted execution"), e2.getMessage());
        }
    }

    @Test
    void resumeRefusesOtherDataAndLeavesTheStoreAsItWas(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, HYPERBAND_SPEC);
        Path data = syntheticData(tmp);
        Path other = tmp.resolve("other-data");
        SyntheticMovieLens.write(other, 6000, 1500, 6);
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            var first = new ExperimentRunner(spec, store, options(data, tmp.resolve("state"))).run();
            Map<String, String> before = snapshot(store, first.experimentId());
            var e = assertThrows(ExperimentRunner.ResumeException.class,
                    () -> new ExperimentRunner(spec, store, new RunOptions(1, true, other, tmp.resolve("state"), QUIET)).run());
            assertTrue(e.getMessage().startsWith("cannot resume: the data loaded from " + other), e.getMessage());
            assertTrue(e.getMessage().contains("from " + data.toAbsolutePath()), e.getMessage());
            assertEquals(before, snapshot(store, first.experimentId()));
            // The data it started with still resumes.
            new ExperimentRunner(spec, store, new RunOptions(1, true, data, tmp.resolve("state"), QUIET)).run();
        }
    }

    /** Wraps a real model: trial t001 throws at epoch 2, trial t002 reports a NaN loss at epoch 3. */
    private static final class FailingModel extends WrappedModel {
        FailingModel(ModelFactory inner) { super(inner); }

        public TrialModel create(Hyperparams params, PreparedData data, long seed) {
            TrialModel real = this.real.create(params, data, seed);
            long t001 = org.cinelab.search.Seeds.derive(7, "t001");
            long t002 = org.cinelab.search.Seeds.derive(7, "t002");
            return new TrialModel() {
                public double trainEpoch(int epoch) {
                    if (seed == t001 && epoch == 2) throw new IllegalStateException("injected failure at epoch 2");
                    double loss = real.trainEpoch(epoch);
                    return seed == t002 && epoch == 3 ? Double.NaN : loss;
                }
                public Map<String, Double> evaluate(Split split) { return real.evaluate(split); }
                public void saveCheckpoint(DataOutputStream out) throws IOException { real.saveCheckpoint(out); }
                public void loadCheckpoint(DataInputStream in) throws IOException { real.loadCheckpoint(in); }
                public void exportModel(Path dir) throws IOException { real.exportModel(dir); }
                public long parameterCount() { return real.parameterCount(); }
            };
        }
    }
}
