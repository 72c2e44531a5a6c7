package org.cinelab.runner;

import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecLoader;
import org.cinelab.testsupport.CineLabProcess;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.cinelab.runner.RunnerFixture.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Kills a real {@code cinelab run} process mid-experiment (SIGKILL, and separately SIGTERM as
 * Ctrl-C would) and resumes it: the final child runs must equal those of an uninterrupted run.
 */
class ResumeAfterKillTest {
    private static final String SPEC = RunnerFixture.HYPERBAND_SPEC
            .replace("params: {factors: 8}", "params: {factors: 192}")
            .replace("max_epochs: 9", "max_epochs: 27");

    @Test
    void sigkillMidRunThenResumeEqualsAnUninterruptedRun(@TempDir Path tmp) throws Exception {
        checkInterruptAndResume(tmp, true);
    }

    @Test
    void sigtermMarksRunningTrialsKilledAndResumeCompletesThem(@TempDir Path tmp) throws Exception {
        checkInterruptAndResume(tmp, false);
    }

    private void checkInterruptAndResume(Path tmp, boolean sigkill) throws Exception {
        Path data = tmp.resolve("data");
        SyntheticMovieLens.write(data, 40_000, 5_000, 3);
        Path specFile = tmp.resolve("spec.yaml");
        Files.writeString(specFile, SPEC);
        ExperimentSpec spec = SpecLoader.load(specFile);
        Path mlruns = tmp.resolve("mlruns");
        Path state = tmp.resolve("state");

        // A thread count no default gives (available cores / --parallel), so that resuming must have read it back.
        String threads = Integer.toString(Runtime.getRuntime().availableProcessors() + 1);
        Process p = cinelab(tmp, "run", specFile.toString(), "--tracking-uri", mlruns.toString(),
                "--state-dir", state.toString(), "--data-dir", data.toString(), "--threads", threads);
        waitForFinishedTrials(state, 4, p);
        assertTrue(p.isAlive(), "the run ended before it could be interrupted; make the spec slower");
        if (sigkill) p.destroyForcibly(); else p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        StateStore.ExperimentState interrupted = new StateStore(state).readExperiment();
        assertFalse(interrupted.finished);

        try (MlflowFileStore store = new MlflowFileStore(mlruns)) {
            RunStatus parentStatus = store.getRun(interrupted.parentRunId).orElseThrow().status();
            assertEquals(sigkill ? RunStatus.RUNNING : RunStatus.KILLED, parentStatus);
            if (!sigkill) {
                assertTrue(store.listRuns(interrupted.experimentId).stream().anyMatch(r -> r.status() == RunStatus.KILLED
                        && !r.runId().equals(interrupted.parentRunId)), "a running trial is marked KILLED");
            }
            ExperimentResult resumed;
            if (sigkill) {
                resumed = new ExperimentRunner(spec, store, new RunOptions(1, true, data, state, QUIET)).run();
            } else {
                // Ctrl-C printed the command that continues the execution, with every option that matters...
                String log = Files.readString(tmp.resolve("child.log"));
                assertTrue(log.contains("Continue with:\n  cinelab run " + specFile + " --resume --seed 7 --tracking-uri file://"
                        + mlruns.toRealPath() + " --data-dir " + data + " --state-dir " + state), log);
                // ...and --resume alone finds the tracking store and data folder the execution recorded.
                Process again = cinelab(tmp, "run", specFile.toString(), "--resume", "--state-dir", state.toString());
                assertTrue(again.waitFor(10, TimeUnit.MINUTES));
                assertEquals(0, again.exitValue(), Files.readString(tmp.resolve("child.log")));
                var parentAfter = store.getRun(interrupted.parentRunId).orElseThrow();
                assertEquals(RunStatus.FINISHED, parentAfter.status());
                // ...and the thread count it started with, on which the last digits of products depend.
                for (RunInfo r : store.listRuns(interrupted.experimentId)) {
                    assertEquals(threads, store.getTags(r.runId()).get("cinelab.blas_threads"), r.runName());
                }
                resumed = new ExperimentRunner(spec, store, new RunOptions(1, true, data, state, QUIET)).run();
            }
            assertEquals(interrupted.parentRunId, resumed.parentRunId());
            for (RunInfo r : store.listRuns(resumed.experimentId())) assertEquals(RunStatus.FINISHED, r.status(), r.runName());

            try (MlflowFileStore clean = new MlflowFileStore(tmp.resolve("clean"))) {
                var straight = new ExperimentRunner(spec, clean, options(data, tmp.resolve("clean-state"))).run();
                assertEquals(snapshot(clean, straight.experimentId()), snapshot(store, resumed.experimentId()));
            }
        }
    }

    private static void waitForFinishedTrials(Path state, int atLeast, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Path trials = state.resolve("trials");
            if (Files.isDirectory(trials)) {
                int finished = 0;
                try (var dirs = Files.list(trials)) {
                    for (Path d : dirs.toList()) {
                        Path f = d.resolve("state.json");
                        if (Files.exists(f) && Files.readString(f).contains("\"FINISHED\"")) finished++;
                    }
                } catch (java.io.IOException racing) {
                    continue;
                }
                if (finished >= atLeast) return;
            }
            Thread.sleep(20);
        }
    }

    private static Process cinelab(Path dir, String... args) throws Exception {
        return CineLabProcess.start(dir, "1g", dir.resolve("child.log"), List.of(args));
    }
}
