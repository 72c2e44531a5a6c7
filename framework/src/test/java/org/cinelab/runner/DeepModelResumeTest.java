package org.cinelab.runner;

import org.cinelab.data.PreparedData;
import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.cinelab.runner.RunnerFixture.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * S4's DL4J models under Hyperband, killed mid-bracket and resumed with --resume: the same trials finish,
 * with the same metrics, and no epoch is logged twice. The kill is simulated in-process by an Error from
 * the model (nothing catches it, so no state is tidied up, as after SIGKILL): once while an epoch trains,
 * and once between logging an epoch's metrics and recording it in the state (the epoch is trained again
 * on resume but must not be logged again). {@link ResumeAfterKillTest} kills real processes with biased-mf.
 */
class DeepModelResumeTest {
    private static final String SPEC = """
            experiment:
              name: deep-resume
              description: generated data
            seed: 11
            dataset:
              name: movielens-100k
              split: time
              options: {top_users: 100, validation_ratio: 0.1, test_ratio: 0.2}
            model:
              type: MODEL
              params: {PARAMS}
            search:
              sampler: random
              scheduler: hyperband
              max_epochs: 3
              eta: 3
            space:
              lr: {loguniform: [0.001, 0.01]}
              dropout: {uniform: [0.0, 0.3]}
            objective: {metric: rmse, mode: min}
            """;

    @ParameterizedTest(name = "{0}, killed {2}")
    @CsvSource(delimiter = ';', value = {
            "time-lstm; window: 4, clusters: 4, layers: 1, units: 6, batch_size: 256; during epoch",
            "time-lstm; window: 4, clusters: 4, layers: 1, units: 6, batch_size: 256; before state",
            "embedding-dense; embedding_dim: 4, hidden: '8,4', batch_size: 256; during epoch",
            "embedding-dense; embedding_dim: 4, hidden: '8,4', batch_size: 256; before state"})
    void killedMidBracketAndResumedEqualsAnUninterruptedRun(String model, String params, String when, @TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SyntheticMovieLens.write(data, 20_000, 2_000, 5);
        ExperimentSpec spec = spec(tmp, SPEC.replace("MODEL", model).replace("PARAMS", params));
        ModelFactory real = ModelRegistry.find(model).orElseThrow();
        // Hyperband 3/3: bracket 1 trains 3 trials x 1 epoch, then the best one to 3 epochs; the 5th epoch
        // trained is the promoted trial's 2nd: mid-bracket.
        ModelFactory killing = new KillingModel(real, 5, when.equals("before state"));

        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            Path state = tmp.resolve("state");
            Throwable e = assertThrows(Throwable.class, () -> new ExperimentRunner(spec, store, options(data, state), killing).run());
            assertInstanceOf(KillingModel.Kill.class, e.getCause(), e.toString());
            StateStore.ExperimentState interrupted = new StateStore(state).readExperiment();
            assertFalse(interrupted.finished);
            // a crash inside the JVM ends the runs it opened FAILED; a real SIGKILL leaves them RUNNING: both resume
            assertEquals(RunStatus.FAILED, store.getRun(interrupted.parentRunId).orElseThrow().status());

            var resumed = new ExperimentRunner(spec, store, new RunOptions(1, true, data, state, QUIET), real).run();
            assertEquals(interrupted.parentRunId, resumed.parentRunId());
            for (RunInfo r : store.listRuns(resumed.experimentId())) {
                assertEquals(RunStatus.FINISHED, r.status(), r.runName());
                Map<String, String> tags = store.getTags(r.runId());
                if (tags.containsKey("cinelab.trial_id")) assertEquals("cinelab", tags.get("cinelab.trainer"), r.runName() + " says which trainer ran it");
                for (String key : store.getMetricKeys(r.runId())) {
                    List<MetricPoint> h = store.getMetricHistory(r.runId(), key);
                    Set<Long> steps = new HashSet<>();
                    for (MetricPoint p : h) assertTrue(steps.add(p.step()), r.runName() + " logged " + key + " step " + p.step() + " twice");
                }
            }
            try (MlflowFileStore clean = new MlflowFileStore(tmp.resolve("clean"))) {
                var straight = new ExperimentRunner(spec, clean, options(data, tmp.resolve("clean-state")), real).run();
                assertEquals(straight.trials().size(), resumed.trials().size());
                assertEquals(snapshot(clean, straight.experimentId()), snapshot(store, resumed.experimentId()));
            }
        }
    }
}
