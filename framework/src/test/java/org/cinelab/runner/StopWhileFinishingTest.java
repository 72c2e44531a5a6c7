package org.cinelab.runner;

import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.cinelab.runner.RunnerFixture.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Ctrl-C after a trial's last epoch, while it computes its test metrics or exports its model: the
 * JVM's shutdown then breaks what finishing needs. That is a stop, not the trial's failure: the runs
 * end KILLED, the command to continue is printed, the checkpoints stay, and --resume finishes the
 * trial with what an uninterrupted run logs.
 */
class StopWhileFinishingTest {
    private static final String SPEC = """
            experiment: {name: stop-while-finishing}
            seed: 7
            dataset: {name: movielens-100k, split: u1}
            model:
              type: biased-mf
              params: {factors: 8}
            search: {sampler: grid, scheduler: none, max_epochs: 2}
            space:
              lr: [0.01]
            objective: {metric: rmse, mode: min}
            """;

    @ParameterizedTest(name = "Ctrl-C while the trial {0}s")
    @ValueSource(strings = {"evaluate", "export"})
    void ctrlCWhileATrialFinishesEndsItsRunsKilledAndResumeFinishesIt(String during, @TempDir Path tmp) throws Exception {
        Path data = syntheticData(tmp);
        ExperimentSpec spec = spec(tmp, SPEC);
        Path mlruns = tmp.resolve("mlruns"), state = tmp.resolve("state"), marker = tmp.resolve("finishing");
        Path log = tmp.resolve("child.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), ShutdownBreaksFinishing.class.getName(),
                spec.file().toString(), mlruns.toString(), state.toString(), data.toString(), during, marker.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(marker) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(Files.exists(marker) && p.isAlive(), "the child never reached the trial's finishing step: " + Files.readString(log));
        p.destroy(); // SIGTERM, as Ctrl-C
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertFalse(out.contains("ended: failed"), out); // the JVM may halt before the child prints how it ended
        assertTrue(out.contains("Continue with:\n  cinelab run " + spec.file() + " --resume"), out);

        StateStore.ExperimentState interrupted = new StateStore(state).readExperiment();
        assertFalse(interrupted.finished);
        TrialState trial = new StateStore(state).readTrials().get(0);
        assertFalse(trial.isDone(), "the trial is neither FAILED nor FINISHED, so resume finishes it: " + trial.status);
        assertNull(trial.failure);
        try (MlflowFileStore store = new MlflowFileStore(mlruns)) {
            List<RunInfo> runs = store.listRuns(interrupted.experimentId);
            assertEquals(2, runs.size());
            for (RunInfo r : runs) assertEquals(RunStatus.KILLED, r.status(), r.runName());
            assertFalse(store.getTags(trial.runId).containsKey("cinelab.failure"));

            var real = ModelRegistry.find("biased-mf").orElseThrow();
            var resumed = new ExperimentRunner(spec, store, new RunOptions(1, true, data, state, QUIET), real).run();
            for (RunInfo r : store.listRuns(resumed.experimentId())) assertEquals(RunStatus.FINISHED, r.status(), r.runName());
            try (MlflowFileStore clean = new MlflowFileStore(tmp.resolve("clean"))) {
                var straight = new ExperimentRunner(spec, clean, options(data, tmp.resolve("clean-state")), real).run();
                assertEquals(snapshot(clean, straight.experimentId()), snapshot(store, resumed.experimentId()));
            }
        }
    }
}
