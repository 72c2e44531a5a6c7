package org.cinelab.runner;

import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.cinelab.runner.RunnerFixture.QUIET;
import static org.cinelab.runner.RunnerFixture.options;
import static org.cinelab.runner.RunnerFixture.snapshot;
import static org.cinelab.runner.RunnerFixture.spec;
import static org.cinelab.runner.RunnerFixture.syntheticData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search killed mid-way and resumed makes the suggestions and decisions an uninterrupted run makes
 * (one worker): the same trials with the same values, promoted to the same epochs, the same metrics
 * and final best, and no metric step twice. The kill is simulated inside the JVM (an Error from the
 * model at the k-th epoch trained, during the epoch or between logging it and saving its state).
 */
class AdaptiveResumeTest {
    private static final String SPEC = """
            experiment: {name: adaptive-resume}
            seed: 5
            dataset: {name: movielens-100k, split: u1}
            model: {type: biased-mf, params: {factors: 4}}
            search: SEARCH
            space:
              lr: {loguniform: [0.002, 0.05]}
              reg: {uniform: [0.01, 0.1]}
            objective: {metric: rmse, mode: min}
            """;

    @ParameterizedTest(name = "{0}, killed at epoch {1} ({2})")
    @CsvSource(delimiter = ';', value = {
            "{sampler: random, scheduler: asha, trials: 12, max_epochs: 9, eta: 3}; 17; during epoch",
            "{sampler: random, scheduler: asha, trials: 12, max_epochs: 9, eta: 3}; 23; before state",
            "{sampler: random, scheduler: hyperband, max_epochs: 9, eta: 3}; 30; during epoch",
            "{sampler: random, scheduler: successive-halving, trials: 9, max_epochs: 9, eta: 3, early_stopping: {patience: 2}}; 11; before state"})
    void aKilledSearchResumesToTheSameTrialsAndBest(String search, int killAt, String when, @TempDir Path tmp) throws Exception {
        Path data = syntheticData(tmp);
        ExperimentSpec spec = spec(tmp, SPEC.replace("SEARCH", search));
        ModelFactory real = ModelRegistry.find("biased-mf").orElseThrow();
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"));
             MlflowFileStore clean = new MlflowFileStore(tmp.resolve("clean"))) {
            Path state = tmp.resolve("state");
            Throwable e = assertThrows(Throwable.class, () -> new ExperimentRunner(spec, store, options(data, state),
                    new KillingModel(real, killAt, when.equals("before state"))).run());
            assertInstanceOf(KillingModel.Kill.class, e.getCause(), e.toString());

            var resumed = new ExperimentRunner(spec, store, new RunOptions(1, true, data, state, QUIET), real).run();
            var straight = new ExperimentRunner(spec, clean, options(data, tmp.resolve("clean-state")), real).run();

            assertEquals(snapshot(clean, straight.experimentId()), snapshot(store, resumed.experimentId()));
            assertEquals(straight.best().trialId(), resumed.best().trialId());
            assertEquals(straight.best().objective(), resumed.best().objective());
            for (RunInfo r : store.listRuns(resumed.experimentId())) {
                assertEquals(RunStatus.FINISHED, r.status(), r.runName());
                for (String key : store.getMetricKeys(r.runId())) {
                    Set<Long> steps = new HashSet<>();
                    for (MetricPoint p : store.getMetricHistory(r.runId(), key)) {
                        assertTrue(steps.add(p.step()), r.runName() + " logged " + key + " step " + p.step() + " twice");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "{sampler: random, scheduler: asha, trials: 10, max_epochs: 9, eta: 3}",
            "{sampler: random, scheduler: hyperband, max_epochs: 9, eta: 3}"})
    void twoWorkersTrainTheSameTrialsWithTheSameValues(String search, @TempDir Path tmp) throws Exception {
        Path data = syntheticData(tmp);
        ExperimentSpec spec = spec(tmp, SPEC.replace("SEARCH", search));
        try (MlflowFileStore one = new MlflowFileStore(tmp.resolve("one"));
             MlflowFileStore two = new MlflowFileStore(tmp.resolve("two"))) {
            var a = new ExperimentRunner(spec, one, options(data, tmp.resolve("s1"))).run();
            var b = new ExperimentRunner(spec, two, new RunOptions(2, false, data, tmp.resolve("s2"), QUIET)).run();
            List<String> namesA = a.trials().stream().map(ExperimentResult.TrialSummary::runName).sorted().toList();
            List<String> namesB = b.trials().stream().map(ExperimentResult.TrialSummary::runName).sorted().toList();
            assertEquals(namesA, namesB, "random values depend on the trial number, not on timing");
            if (search.contains("hyperband")) assertEquals(snapshot(one, a.experimentId()), snapshot(two, b.experimentId()));
        }
    }
    /**
     * Ctrl-C can mark a trial's run KILLED just as its segment finishes (a Spark task does not stop at
     * once): the state says FINISHED, the run KILLED. The resume trusts the state and ends the run FINISHED.
     */
    @org.junit.jupiter.api.Test
    void aRunMarkedKilledWhoseTrialFinishedEndsFinishedOnResume(@TempDir Path tmp) throws Exception {
        Path data = syntheticData(tmp);
        ExperimentSpec spec = spec(tmp, SPEC.replace("SEARCH", "{sampler: random, scheduler: none, trials: 3, max_epochs: 2}"));
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            Path state = tmp.resolve("state");
            ExperimentResult done = new ExperimentRunner(spec, store, options(data, state).withKeepCheckpoints(true)).run();
            // As an interrupted execution whose last trial finished after the Ctrl-C handler ran.
            StateStore onDisk = new StateStore(state);
            StateStore.ExperimentState experiment = onDisk.readExperiment();
            experiment.finished = false;
            onDisk.writeExperiment(experiment);
            String killed = done.trials().get(2).runId();
            store.setRunStatus(killed, RunStatus.KILLED, System.currentTimeMillis());
            store.setRunStatus(done.parentRunId(), RunStatus.KILLED, System.currentTimeMillis());

            new ExperimentRunner(spec, store, options(data, state).withResume(true)).run();
            assertEquals(RunStatus.FINISHED, store.getRun(killed).orElseThrow().status());
            assertEquals(RunStatus.FINISHED, store.getRun(done.parentRunId()).orElseThrow().status());
        }
    }
}
