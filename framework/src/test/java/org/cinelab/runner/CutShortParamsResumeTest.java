package org.cinelab.runner;

import org.cinelab.spec.ExperimentSpec;
import org.cinelab.testsupport.ForwardingTracker;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.cinelab.runner.RunnerFixture.QUIET;
import static org.cinelab.runner.RunnerFixture.options;
import static org.cinelab.runner.RunnerFixture.spec;
import static org.cinelab.runner.RunnerFixture.syntheticData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A crash while a trial's params are being logged (its run created, part of its params written, the
 * state not yet told the run's id): {@code --resume} finds the run and completes its params, so it
 * ends with the same params as every other trial's run (seen once as a SIGKILL in
 * TpeAshaResumeAfterKillTest: the resumed trial run lacked half its params).
 */
class CutShortParamsResumeTest {

    @Test
    void aTrialWhoseParamsWereCutShortGetsThemAllOnResume(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, RunnerFixture.HYPERBAND_SPEC);
        Path data = syntheticData(tmp), state = tmp.resolve("state");
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            CrashInParams crashing = new CrashInParams(store, 3);
            assertThrows(IOException.class, () -> new ExperimentRunner(spec, crashing, options(data, state)).run());
            String cut = crashing.cutRunId;
            assertEquals(crashing.keptKeys, store.getParams(cut).size(), "the crash left part of the params");

            new ExperimentRunner(spec, store, new RunOptions(1, true, data, state, QUIET)).run();
            String experimentId = store.findExperimentByName("runner-test").orElseThrow().experimentId();
            Map<String, String> cutParams = store.getParams(cut);
            for (RunInfo r : store.listRuns(experimentId)) {
                assertEquals(RunStatus.FINISHED, r.status(), r.runName());
                if (r.runId().equals(cut) || !store.getTags(r.runId()).containsKey("cinelab.trial_id")) continue;
                assertEquals(store.getParams(r.runId()).keySet(), cutParams.keySet(), "params of " + r.runName() + " and of the resumed trial");
            }
            String trial = store.getTags(cut).get("cinelab.trial_id");
            long runsOfTrial = 0;
            for (RunInfo r : store.listRuns(experimentId)) if (trial.equals(store.getTags(r.runId()).get("cinelab.trial_id"))) runsOfTrial++;
            assertEquals(1, runsOfTrial, "the resumed trial continued its run rather than open a second one");
        }
    }

    /** Writes the first half of the {@code crashAt}-th child run's params, then fails as a killed process would stop. */
    private static final class CrashInParams extends ForwardingTracker {
        private final int crashAt;
        private int childRuns;
        String cutRunId;
        int keptKeys;

        CrashInParams(Tracker delegate, int crashAt) {
            super(delegate);
            this.crashAt = crashAt;
        }

        @Override
        public void logParams(String runId, Map<String, String> params) throws IOException {
            if (params.containsKey("trial.id") && ++childRuns == crashAt) {
                Map<String, String> half = new LinkedHashMap<>();
                params.entrySet().stream().limit(params.size() / 2).forEach(e -> half.put(e.getKey(), e.getValue()));
                delegate.logParams(runId, half);
                cutRunId = runId;
                keptKeys = half.size();
                throw new IOException("simulated crash after " + half.size() + " of " + params.size() + " params");
            }
            delegate.logParams(runId, params);
        }
    }
}
