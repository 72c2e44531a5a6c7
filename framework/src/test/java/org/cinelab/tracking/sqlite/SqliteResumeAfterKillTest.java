package org.cinelab.tracking.sqlite;

import static org.cinelab.tracking.sqlite.GoldenDatabases.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.cinelab.cli.Main;
import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.runner.StateStore;
import org.cinelab.testsupport.CineLabProcess;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cinelab run --tracking-uri sqlite:///...} killed with SIGKILL mid-experiment, then
 * {@code cinelab run --resume}: the same parent run, every trial finished, no epoch logged twice;
 * and a read-only database is bad input (exit 2) before any work.
 */
class SqliteResumeAfterKillTest {
    private static final String SPEC = """
            experiment:
              name: sqlite-resume
              description: generated data
            seed: 7
            dataset:
              name: movielens-100k
              split: u1
            model:
              type: biased-mf
              params: {factors: 192}
            search:
              sampler: random
              scheduler: hyperband
              max_epochs: 27
              eta: 3
            space:
              lr: {loguniform: [0.002, 0.02]}
              reg: {uniform: [0.01, 0.1]}
            objective: {metric: rmse, mode: min}
            """;

    @Test
    void a_killed_run_resumes_under_the_same_parent_without_logging_an_epoch_twice(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SyntheticMovieLens.write(data, 40_000, 5_000, 3);
        Path spec = Files.writeString(tmp.resolve("spec.yaml"), SPEC);
        Path db = tmp.resolve("runs/mlflow.db");
        Path state = tmp.resolve("state");
        List<String> args = List.of("run", spec.toString(), "--tracking-uri", "sqlite:///" + db, "--state-dir", state.toString(),
                "--data-dir", data.toString());

        Process p = cinelab(tmp, "first.log", args);
        waitForFinishedTrials(state, 4, p);
        assertTrue(p.isAlive(), "the run ended before it could be killed; make the spec slower");
        p.destroyForcibly();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        StateStore.ExperimentState interrupted = new StateStore(state).readExperiment();
        assertEquals("ok", single(db, "PRAGMA integrity_check"));

        // --resume alone: the execution's state names its tracking store (sqlite:////abs/...) and data folder
        List<String> resume = List.of("run", spec.toString(), "--state-dir", state.toString(), "--resume");
        Process resumed = cinelab(tmp, "resumed.log", resume);
        assertTrue(resumed.waitFor(5, TimeUnit.MINUTES), "the resumed run did not finish");
        assertEquals(0, resumed.exitValue(), Files.readString(tmp.resolve("resumed.log")));
        assertTrue(Files.readString(tmp.resolve("resumed.log")).contains("MLflow SQLite database " + db));

        try (MlflowSqliteStore store = MlflowSqliteStore.openForReading(db)) {
            String experiment = store.findExperimentByName("sqlite-resume").orElseThrow().experimentId();
            List<RunInfo> runs = store.listRuns(experiment);
            List<RunInfo> parents = runs.stream().filter(r -> {
                try {
                    return !store.getTags(r.runId()).containsKey("mlflow.parentRunId");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertEquals(1, parents.size(), "resume continues the parent run rather than starting another");
            assertEquals(interrupted.parentRunId, parents.get(0).runId());
            for (RunInfo run : runs) {
                assertEquals(RunStatus.FINISHED, run.status(), run.runName());
                for (String key : store.getMetricKeys(run.runId())) {
                    Set<Long> steps = new HashSet<>();
                    for (MetricPoint point : store.getMetricHistory(run.runId(), key)) {
                        assertTrue(steps.add(point.step()), run.runName() + " logged " + key + " at step " + point.step() + " twice");
                    }
                }
            }
        }
    }

    @Test
    void a_read_only_database_is_bad_input_before_any_work(@TempDir Path tmp) throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec.yaml"), SPEC);
        Path db = tmp.resolve("mlflow.db");
        MlflowSqliteStore.open(db).close();
        // The data is there (a missing dataset is reported first, before any store is opened).
        Path data = tmp.resolve("data");
        SyntheticMovieLens.write(data, 2_000, 500, 1);
        SqliteFaultsTest.ReadOnly readOnly = SqliteFaultsTest.ReadOnly.make(db);
        try {
            Process p = cinelab(tmp, "ro.log", List.of("run", spec.toString(), "--tracking-uri", "sqlite:///" + db,
                    "--state-dir", tmp.resolve("state").toString(), "--data-dir", data.toString()));
            assertTrue(p.waitFor(2, TimeUnit.MINUTES));
            String log = Files.readString(tmp.resolve("ro.log"));
            assertEquals(Main.EXIT_BAD_INPUT, p.exitValue(), log);
            assertTrue(log.contains("error: the tracking database " + db + " cannot be written"), log);
            assertTrue(!log.contains("Exception"), log);
        } finally {
            readOnly.undo();
        }
    }

    private static void waitForFinishedTrials(Path state, int atLeast, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
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

    private static Process cinelab(Path dir, String log, List<String> args) throws Exception {
        return CineLabProcess.start(dir, "1g", dir.resolve(log), args);
    }
}
