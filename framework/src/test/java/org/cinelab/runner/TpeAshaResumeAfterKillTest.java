package org.cinelab.runner;

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

import static org.cinelab.runner.RunnerFixture.QUIET;
import static org.cinelab.runner.RunnerFixture.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TPE + ASHA search killed with SIGKILL after TPE has taken over from its start-up trials, then
 * resumed, logs exactly what an uninterrupted run logs: the same suggestions (params), promotions
 * and metrics, no step twice. On the converging Branin function, so it needs no data.
 */
class TpeAshaResumeAfterKillTest {
    private static final String SPEC = """
            experiment: {name: tpe-asha-resume}
            seed: 5
            dataset: {name: none}
            model:
              type: benchmark-function
              params: {function: branin-converging, epoch_millis: 40}
            search:
              sampler: {type: tpe, startup_trials: 6, constant_liar: true}
              scheduler: asha
              trials: 24
              max_epochs: 9
              eta: 3
            space:
              x1: {uniform: [-5, 10]}
              x2: {uniform: [0, 15]}
            objective: {metric: value, mode: min}
            """;

    @Test
    void sigkillAfterTpeTookOverThenResumeEqualsAnUninterruptedRun(@TempDir Path tmp) throws Exception {
        Path specFile = tmp.resolve("spec.yaml");
        Files.writeString(specFile, SPEC);
        ExperimentSpec spec = SpecLoader.load(specFile);
        Path mlruns = tmp.resolve("mlruns");
        Path state = tmp.resolve("state");

        Process p = cinelab(tmp, "run", specFile.toString(), "--tracking-uri", mlruns.toString(), "--state-dir", state.toString());
        waitForTrials(state, 10, p);
        assertTrue(p.isAlive(), "the run ended before it could be interrupted; make the spec slower");
        p.destroyForcibly();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertFalse(new StateStore(state).readExperiment().finished);

        try (MlflowFileStore store = new MlflowFileStore(mlruns)) {
            var resumed = new ExperimentRunner(spec, store, new RunOptions(1, true, tmp, state, QUIET)).run();
            for (RunInfo r : store.listRuns(resumed.experimentId())) assertEquals(RunStatus.FINISHED, r.status(), r.runName());
            try (MlflowFileStore clean = new MlflowFileStore(tmp.resolve("clean"))) {
                var straight = new ExperimentRunner(spec, clean, new RunOptions(1, false, tmp, tmp.resolve("clean-state"), QUIET)).run();
                assertEquals(snapshot(clean, straight.experimentId()), snapshot(store, resumed.experimentId()));
                assertEquals(straight.best().trialId(), resumed.best().trialId());
            }
        }
    }

    /** Waits until {@code atLeast} trials have been created (past the 6 start-up trials: TPE suggested some). */
    private static void waitForTrials(Path state, int atLeast, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Path trials = state.resolve("trials");
            if (Files.isDirectory(trials)) {
                try (var dirs = Files.list(trials)) {
                    if (dirs.count() >= atLeast) return;
                }
            }
            Thread.sleep(20);
        }
    }

    private static Process cinelab(Path dir, String... args) throws Exception {
        return CineLabProcess.start(dir, "512m", dir.resolve("child.log"), List.of(args));
    }
}
