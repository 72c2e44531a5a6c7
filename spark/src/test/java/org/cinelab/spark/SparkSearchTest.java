package org.cinelab.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.runner.ExecutorProvider;
import org.cinelab.runner.ExperimentRunner;
import org.cinelab.runner.RunOptions;
import org.cinelab.runner.StateStore;
import org.cinelab.runner.Trial;
import org.cinelab.runner.TrialExecutor;
import org.cinelab.runner.TrialRunner;
import org.cinelab.runner.TrialState;
import org.cinelab.spec.SpecLoader;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code cinelab run --executor spark} with a {@code local[2,4]} master (two task slots, four attempts
 * per task as on a cluster) against the local runner: the same trials and metrics bit for bit, ASHA
 * without a barrier, a model failure as one FAILED trial, a killed driver resumed from the state
 * storage, and the command-line errors. One Spark context serves every run (the CLI uses the one this
 * JVM runs).
 */
class SparkSearchTest {
    static final String MASTER = "local[2,4]";
    @TempDir static Path tmp;
    static JavaSparkContext sc;
    static Path data;
    /** Every Spark task that ended other than with success, as "stage N task I.A: reason". */
    static final List<String> FAILED_TASKS = new CopyOnWriteArrayList<>();

    /** golden sh-grid-es.yaml (framework): a 3 x 3 grid, successive halving from 2 to 12 epochs, early stopping. */
    static final String GRID_SH_ES = """
            experiment: {name: spark-sh-grid-es}
            seed: 11
            dataset: {name: movielens-100k, split: u1}
            model: {type: biased-mf, params: {reg: 0.05}}
            search: {scheduler: successive-halving, max_epochs: 12, eta: 2, min_epochs: 2, early_stopping: {patience: 2, min_delta: 0.0005}}
            space:
              factors: [4, 8, 16]
              lr: [0.005, 0.02, 0.05]
            objective: {metric: rmse, mode: min}
            """;

    /** golden hyperband.yaml (framework): random values, Hyperband to 9 epochs, 17 trials. */
    static final String HYPERBAND = """
            experiment: {name: spark-hyperband}
            seed: 7
            dataset: {name: movielens-100k, split: u1}
            model: {type: biased-mf, params: {factors: 8}}
            search: {sampler: random, scheduler: hyperband, max_epochs: 9, eta: 3}
            space:
              lr: {loguniform: [0.002, 0.02]}
              reg: {uniform: [0.01, 0.1]}
            objective: {metric: rmse, mode: min}
            """;

    @BeforeAll
    static void startSpark() throws Exception {
        data = tmp.resolve("data");
        SyntheticMovieLens.write(data, 6000, 1500, 5);
        SparkConf conf = SparkConfs.withCinelabDefaults(new SparkConf().setMaster(MASTER).setAppName("cinelab-spark-search-test")
                .set("spark.ui.enabled", "false")
                .set("spark.hadoop.fs.pausefs.impl", PausingFileSystem.class.getName()), System.getenv());
        sc = new JavaSparkContext(conf);
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.reason().toString().equals("Success")) {
                    FAILED_TASKS.add("stage " + end.stageId() + " task " + end.taskInfo().index() + "." + end.taskInfo().attemptNumber()
                            + ": " + end.reason());
                }
            }
        });
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) sc.stop();
    }

    @Test
    void gridSuccessiveHalvingWithEarlyStoppingOnSparkEqualsTheLocalRunnerBitForBit() throws Exception {
        Map<String, String> spark = sameSearchBothWays("grid-sh", GRID_SH_ES, tmp.resolve("grid-sh-state").toString());
        assertEquals(10, spark.size(), "9 trials and the parent: " + spark.keySet());
        List<TrialState> trials = new StateStore(tmp.resolve("grid-sh-state")).readTrials();
        assertTrue(trials.stream().anyMatch(t -> t.earlyStopped), "a trial stopped early on an executor");
    }

    /** The state on a Hadoop file system (pausefs: stands in for hdfs://): written by executors, read by the driver. */
    @Test
    void randomHyperbandOnSparkWithHadoopStateEqualsTheLocalRunnerBitForBit() throws Exception {
        Map<String, String> spark = sameSearchBothWays("hyperband", HYPERBAND, PausingFileSystem.SCHEME + "://" + tmp.resolve("hb-state"));
        assertEquals(18, spark.size(), "17 trials and the parent: " + spark.keySet());
    }

    /** Runs {@code yaml} with the local runner and with Spark; returns the Spark run's snapshot after asserting both are equal. */
    private Map<String, String> sameSearchBothWays(String name, String yaml, String sparkStateDir) throws Exception {
        Path spec = Files.writeString(tmp.resolve(name + ".yaml"), yaml);
        String experiment = SpecLoader.load(spec).name();
        int failedBefore = FAILED_TASKS.size();
        long t0 = System.nanoTime();
        Cli.Outcome local = Cli.run("run", spec.toString(), "--tracking-uri", tmp.resolve(name + "-local").toString(),
                "--state-dir", tmp.resolve(name + "-local-state").toString(), "--data-dir", data.toString());
        long t1 = System.nanoTime();
        assertEquals(0, local.exit(), local.toString());
        Cli.Outcome spark = Cli.run("run", spec.toString(), "--executor", "spark", "--master", MASTER,
                "--tracking-uri", tmp.resolve(name + "-spark").toString(), "--state-dir", sparkStateDir, "--data-dir", data.toString());
        long t2 = System.nanoTime();
        assertEquals(0, spark.exit(), spark.toString());
        System.out.printf("%s: local runner %.1f s, spark %s %.1f s%n%s", name, (t1 - t0) / 1e9, MASTER, (t2 - t1) / 1e9,
                spark.out().lines().filter(l -> l.startsWith("Spark")).map(l -> "  " + l + "\n").reduce("", String::concat));
        assertTrue(spark.out().contains("Spark ") && spark.out().contains("master " + MASTER), spark.out());
        assertEquals(List.of(), FAILED_TASKS.subList(failedBefore, FAILED_TASKS.size()), "no task attempt failed");
        Map<String, String> a = snapshot(tmp.resolve(name + "-local"), experiment);
        Map<String, String> b = snapshot(tmp.resolve(name + "-spark"), experiment);
        assertEquals(a, b);
        return b;
    }

    static Map<String, String> snapshot(Path mlruns, String experiment) throws Exception {
        try (MlflowFileStore store = new MlflowFileStore(mlruns)) {
            return RunSnapshot.of(store, store.findExperimentByName(experiment).orElseThrow().experimentId());
        }
    }

    /**
     * ASHA on two slots: a trial is promoted to the next rung while another still trains towards the
     * first, and a freed slot gets its next segment without waiting for the others.
     */
    @Test
    void ashaPromotesWhileOtherTrialsOfTheRungStillTrain() throws Exception {
        Path spec = Files.writeString(tmp.resolve("asha.yaml"), """
                experiment: {name: spark-asha}
                seed: 5
                dataset: {name: movielens-100k, split: u1}
                model: {type: biased-mf, params: {factors: 8}}
                search: {sampler: random, scheduler: asha, trials: 10, max_epochs: 8, eta: 2, min_epochs: 1}
                space:
                  lr: {loguniform: [0.002, 0.03]}
                  reg: {uniform: [0.01, 0.1]}
                objective: {metric: rmse, mode: min}
                """);
        List<String> events = new CopyOnWriteArrayList<>();
        PrintWriter quiet = new PrintWriter(java.io.Writer.nullWriter());
        Path state = tmp.resolve("asha-state");
        try (ExecutorProvider.Session session = new SparkExecutorProvider().open(
                new ExecutorProvider.Request(MASTER, state.toString(), false, 1, "asha-test", quiet));
             MlflowFileStore store = new MlflowFileStore(tmp.resolve("asha-mlruns"))) {
            TrialExecutor.Factory spark = session.factory(tmp.resolve("asha-mlruns").toString(), data, true);
            TrialExecutor.Factory recorded = (context, local, hp, parallel) -> new Recording(spark.create(context, local, hp, parallel), events);
            var result = new ExperimentRunner(SpecLoader.load(spec), store,
                    new RunOptions(1, false, data, state, quiet).withExecutor(recorded)).run();
            assertEquals(10, result.trials().size());
            assertTrue(result.trials().stream().allMatch(t -> t.status() == TrialState.Status.FINISHED), result.trials().toString());
        }
        // Replay the event log: which segments were in flight when each segment started.
        List<String> inFlight = new ArrayList<>();
        boolean promotedWhileRungZeroTrained = false;
        for (String e : events) {
            String[] f = e.split(" ");
            String segment = f[1] + "@" + f[2];
            if (f[0].equals("start")) {
                int target = Integer.parseInt(f[2]);
                if (target > 1 && inFlight.stream().anyMatch(s -> s.endsWith("@1"))) promotedWhileRungZeroTrained = true;
                inFlight.add(segment);
            } else {
                inFlight.remove(segment);
            }
        }
        assertTrue(promotedWhileRungZeroTrained, "no promotion while a first-rung segment was still running: " + events);
    }

    /** Logs "start|end TRIAL TARGET" for every training segment. */
    private record Recording(TrialExecutor inner, List<String> events) implements TrialExecutor {
        @Override public int slots() { return inner.slots(); }

        @Override
        public void train(Trial trial, int target, Listener listener) {
            events.add("start " + trial.id() + " " + target);
            inner.train(trial, target, new Listener() {
                @Override public TrialRunner.Verdict afterEpoch(TrialState state) { return listener.afterEpoch(state); }

                @Override
                public void ended(TrialState state) {
                    events.add("end " + trial.id() + " " + target);
                    listener.ended(state);
                }

                @Override public void crashed(String trialId, Throwable error) { listener.crashed(trialId, error); }
            });
        }

        @Override public void finish(Trial trial, String reason, Listener listener) { inner.finish(trial, reason, listener); }

        @Override public void requestStop() { inner.requestStop(); }

        @Override public void close() { inner.close(); }
    }

    /** A learning rate that makes SGD diverge: the trial is FAILED once, its task returned it (no attempt failed, none retried). */
    @Test
    void aDivergingModelIsOneFailedTrialNotARetriedTask() throws Exception {
        Path spec = Files.writeString(tmp.resolve("diverge.yaml"), """
                experiment: {name: spark-diverge}
                seed: 3
                dataset: {name: movielens-100k, split: u1}
                model: {type: biased-mf, params: {factors: 8}}
                search: {sampler: grid, scheduler: none, max_epochs: 3}
                space:
                  lr: [0.01, 1.0]
                objective: {metric: rmse, mode: min}
                """);
        int failedBefore = FAILED_TASKS.size();
        Path mlruns = tmp.resolve("diverge-mlruns"), state = tmp.resolve("diverge-state");
        Cli.Outcome o = Cli.run("run", spec.toString(), "--executor", "spark", "--master", MASTER, "--tracking-uri", mlruns.toString(),
                "--state-dir", state.toString(), "--data-dir", data.toString());
        assertEquals(0, o.exit(), o.toString());
        assertEquals(List.of(), FAILED_TASKS.subList(failedBefore, FAILED_TASKS.size()), "no task attempt failed");
        TrialState failed = new StateStore(state).readTrial("t002");
        assertEquals(TrialState.Status.FAILED, failed.status);
        assertTrue(failed.failure.startsWith("training loss became"), failed.failure);
        assertTrue(o.out().contains("Spark: 2 segment(s), 0 of them retried"), o.out());
        try (MlflowFileStore store = new MlflowFileStore(mlruns)) {
            List<RunInfo> runs = store.listRuns(store.findExperimentByName("spark-diverge").orElseThrow().experimentId());
            assertEquals(3, runs.size(), "two trials and the parent");
            RunInfo run = runs.stream().filter(r -> r.runName().startsWith("t002")).findFirst().orElseThrow();
            assertEquals(RunStatus.FAILED, run.status());
            assertEquals(failed.failure, store.getTags(run.runId()).get("cinelab.failure"));
        }
    }

    /**
     * SIGKILL of a driver process running {@code cinelab run --executor spark} (its local[2,4] executors
     * die with it), then {@code --resume} here: the state is read back from the Hadoop storage and the
     * search ends with the trials and metrics of an uninterrupted local run, each step once.
     */
    @Test
    void aKilledDriverIsResumedFromTheStateStorageToTheSameResult() throws Exception {
        interruptDriverAndResume("killed", true);
    }

    /**
     * SIGTERM (Ctrl-C) of the driver: Spark's jobs are cancelled, the open runs end KILLED, the resume
     * command names the executor, and {@code --resume} ends the search as an uninterrupted run.
     */
    @Test
    void aCtrlCOfTheDriverCancelsItsJobsMarksRunsKilledAndResumes() throws Exception {
        interruptDriverAndResume("ctrlc", false);
    }

    private void interruptDriverAndResume(String name, boolean sigkill) throws Exception {
        String experiment = "spark-" + name;
        Path spec = Files.writeString(tmp.resolve(name + ".yaml"), HYPERBAND.replace("spark-hyperband", experiment));
        Path state = tmp.resolve(name + "-state"), mlruns = tmp.resolve(name + "-mlruns");
        String stateUri = PausingFileSystem.SCHEME + "://" + state;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) if (!a.startsWith("-agentlib")) cmd.add(a);
        cmd.addAll(List.of("-Dspark.hadoop.fs.pausefs.impl=" + PausingFileSystem.class.getName(), "-Dspark.ui.enabled=false",
                "-cp", System.getProperty("java.class.path"), "org.cinelab.cli.Main",
                "run", spec.toString(), "--executor", "spark", "--master", MASTER, "--state-dir", stateUri,
                "--tracking-uri", mlruns.toString(), "--data-dir", data.toString()));
        Path log = tmp.resolve(name + "-driver.log");
        Process driver = new ProcessBuilder(cmd).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            StateStore onDisk = new StateStore(state);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (finished(onDisk) < 3) {
                assertTrue(driver.isAlive(), "the driver ended before it could be killed:\n" + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "no 3 finished trials within 240 s:\n" + Files.readString(log));
                Thread.sleep(50);
            }
            if (sigkill) driver.destroyForcibly();
            else driver.destroy();
            assertTrue(driver.waitFor(90, TimeUnit.SECONDS), "the driver did not end");
            assertFalse(onDisk.readExperiment().finished);
            assertTrue(finished(onDisk) < 17, "interrupted before the end");
        } finally {
            driver.destroyForcibly();
        }
        String parent = new StateStore(state).readExperiment().parentRunId;
        if (!sigkill) {
            String printed = Files.readString(log);
            assertTrue(printed.contains("Interrupted: running trials marked KILLED. Continue with:"), printed);
            assertTrue(printed.contains("--resume") && printed.contains("--state-dir " + PausingFileSystem.SCHEME + ":")
                    && printed.contains("--executor spark --master " + MASTER), printed);
            try (MlflowFileStore store = new MlflowFileStore(mlruns)) {
                assertEquals(RunStatus.KILLED, store.getRun(parent).orElseThrow().status(), printed);
                String experimentId = store.findExperimentByName(experiment).orElseThrow().experimentId();
                assertTrue(store.listRuns(experimentId).stream().noneMatch(r -> r.status() == RunStatus.RUNNING),
                        "no run left RUNNING:\n" + printed);
            }
        }

        Cli.Outcome resumed = Cli.run("run", spec.toString(), "--resume", "--executor", "spark", "--master", MASTER,
                "--state-dir", stateUri, "--tracking-uri", mlruns.toString(), "--data-dir", data.toString());
        assertEquals(0, resumed.exit(), resumed + "\n--- killed driver's log\n" + Files.readString(log));
        assertTrue(resumed.out().contains("Resuming parent run " + parent), resumed.out());

        Cli.Outcome reference = Cli.run("run", spec.toString(), "--tracking-uri", tmp.resolve(name + "-reference").toString(),
                "--state-dir", tmp.resolve(name + "-reference-state").toString(), "--data-dir", data.toString());
        assertEquals(0, reference.exit(), reference.toString());
        try (MlflowFileStore a = new MlflowFileStore(tmp.resolve(name + "-reference")); MlflowFileStore b = new MlflowFileStore(mlruns)) {
            String ea = a.findExperimentByName(experiment).orElseThrow().experimentId();
            String eb = b.findExperimentByName(experiment).orElseThrow().experimentId();
            assertEquals(RunSnapshot.children(a, ea), RunSnapshot.children(b, eb));
            assertEquals(RunStatus.FINISHED, b.getRun(parent).orElseThrow().status());
        }
    }

    private static long finished(StateStore store) throws Exception {
        return store.readTrials().stream().filter(t -> t.status == TrialState.Status.FINISHED).count();
    }

    /** A segment whose every attempt fails (storage, tracking) is reported in words: trial, attempts, where, why. */
    @Test
    void aSegmentThatFailsOnEveryAttemptIsReportedWithItsAttemptsAndReasonInWords() throws Exception {
        int failedBefore = FAILED_TASKS.size();
        try (SparkTasks tasks = new SparkTasks(sc)) {
            var job = tasks.submit("always fails", () -> {
                throw new java.io.IOException("/state/trials/t007/state.json: no space left on device");
            });
            Throwable error = assertThrows(java.util.concurrent.ExecutionException.class, () -> job.get(120, TimeUnit.SECONDS)).getCause();
            String message = SparkFailures.segmentFailed("t007", error).getMessage();
            assertEquals("trial t007: its segment failed on the cluster (4 attempts, spark.task.maxFailures); the last on "
                    + "localhost executor driver: /state/trials/t007/state.json: no space left on device. Nothing of it is lost: "
                    + "continue with --resume once the cause is fixed", message);
        }
        // Task-end events reach listeners on Spark's listener bus, after the job's own failure: wait for them.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (FAILED_TASKS.size() - failedBefore < 4 && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(4, FAILED_TASKS.size() - failedBefore, FAILED_TASKS.toString());
    }

    @Test
    void badSparkOptionsAreRefusedBeforeAnyRunWithExitCode2() throws Exception {
        Path spec = Files.writeString(tmp.resolve("refused.yaml"), HYPERBAND.replace("spark-hyperband", "spark-refused"));
        Path mlruns = tmp.resolve("refused-mlruns");
        Cli.Outcome otherMaster = Cli.run("run", spec.toString(), "--executor", "spark", "--master", "local[3]",
                "--tracking-uri", mlruns.toString(), "--state-dir", tmp.resolve("refused-state").toString());
        assertEquals(2, otherMaster.exit(), otherMaster.toString());
        assertTrue(otherMaster.err().contains("--master local[3]: this JVM already runs a Spark context with master " + MASTER),
                otherMaster.err());
        Cli.Outcome noMaster = Cli.run("run", spec.toString(), "--executor", "spark",
                "--tracking-uri", mlruns.toString(), "--state-dir", tmp.resolve("refused-state").toString());
        assertEquals(2, noMaster.exit(), noMaster.toString());
        assertTrue(noMaster.err().contains("needs a Spark master: --master local[N]"), noMaster.err());
        Cli.Outcome badScheme = Cli.run("run", spec.toString(), "--executor", "spark", "--master", MASTER,
                "--tracking-uri", mlruns.toString(), "--state-dir", "nosuchfs://bucket/state");
        assertEquals(2, badScheme.exit(), badScheme.toString());
        assertTrue(badScheme.err().contains("no Hadoop file system for scheme 'nosuchfs'"), badScheme.err());
        assertFalse(Files.exists(mlruns), "refused before the tracking store was opened");
    }
}
