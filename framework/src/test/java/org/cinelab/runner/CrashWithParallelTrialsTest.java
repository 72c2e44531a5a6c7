package org.cinelab.runner;

import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.cinelab.search.TrialRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.cinelab.runner.RunnerFixture.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * With {@code --parallel 2}, one trial's crash (or Ctrl-C) stops the other trial mid-segment. That
 * trial must stay resumable where it stopped: recorded as paused below its target, Hyperband would
 * wait for it forever on resume ("waits for results while no trial is running"), as a kill sweep of
 * the quickstart found.
 */
class CrashWithParallelTrialsTest {
    /** Epochs of 15 ms, so that the other worker is inside a segment of several epochs when the crash comes. */
    private static final String SPEC = """
            experiment: {name: crash-with-parallel-trials}
            seed: 5
            dataset: {name: none}
            model:
              type: benchmark-function
              params: {function: branin-converging, epoch_millis: 15}
            search:
              sampler: random
              scheduler: hyperband
              max_epochs: 9
              eta: 3
            space:
              x1: {uniform: [-5, 10]}
              x2: {uniform: [0, 15]}
            objective: {metric: value, mode: min}
            """;

    @ParameterizedTest(name = "crash at the {0}th epoch trained")
    @ValueSource(ints = {6, 14, 20, 25, 30, 40, 50})
    void aCrashLeavesTheOtherRunningTrialResumableAndResumeCompletesTheSearch(int killAt, @TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("no-data");
        ExperimentSpec spec = spec(tmp, SPEC);
        ModelFactory real = ModelRegistry.find("benchmark-function").orElseThrow();
        Path state = tmp.resolve("state");
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            assertThrows(Throwable.class, () -> new ExperimentRunner(spec, store, new RunOptions(2, false, data, state, QUIET),
                    new KillingModel(real, killAt, false)).run());
            for (TrialState t : new StateStore(state).readTrials()) {
                if (t.status == TrialState.Status.PAUSED) {
                    assertEquals(t.target, t.epochsDone, t.trialId + " was recorded paused below its target");
                }
            }
            var resumed = new ExperimentRunner(spec, store, new RunOptions(2, true, data, state, QUIET), real).run();
            for (RunInfo r : store.listRuns(resumed.experimentId())) assertEquals(RunStatus.FINISHED, r.status(), r.runName());
            try (MlflowFileStore clean = new MlflowFileStore(tmp.resolve("clean"))) {
                var straight = new ExperimentRunner(spec, clean, new RunOptions(2, false, data, tmp.resolve("clean-state"), QUIET), real).run();
                assertEquals(straight.trials().size(), resumed.trials().size());
            }
        }
    }

    @Test
    void aStateThatAnEarlierVersionLeftPausedBelowItsTargetResumesTraining() {
        TrialState s = TrialState.created(new TrialRecord("t010", 9, 1, java.util.Map.of(), 7, 9));
        s.status = TrialState.Status.PAUSED;
        s.epochsDone = 5;
        assertEquals(TrialRecord.Status.RUNNING, s.toRecord("rmse").status(), "cut short, not paused: the search trains it on");
        s.epochsDone = 9;
        assertEquals(TrialRecord.Status.PAUSED, s.toRecord("rmse").status(), "at its target it waits for the scheduler");
    }
}
