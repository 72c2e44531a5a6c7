package org.cinelab.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.cinelab.spark.executor.DataSource;
import org.cinelab.spark.executor.ExecutorDatasets;
import org.cinelab.spark.executor.ExecutorTracking;
import org.cinelab.spark.executor.TaskAttempt;
import org.cinelab.spark.executor.TrackingTarget;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.factory.TrackerFactory;
import org.cinelab.tracking.rest.FakeMlflowServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code local-cluster[2,1,1024]}: a master and two workers in this JVM, each worker starting one
 * executor JVM with one core, from Maven's class path ({@link SparkConfs#forLocalClusterFromClassPath}).
 * Real training in separate JVMs, one dataset download per machine, and an executor killed mid-segment.
 */
class LocalClusterTest {
    @TempDir static Path tmp;
    static JavaSparkContext sc;
    static SparkTasks tasks;
    static GeneratedMovieLens movielens;
    static final List<String> TASK_ENDS = new CopyOnWriteArrayList<>();

    /** Where the executor that {@link PausingFileSystem} pauses writes its pid. */
    static Path pauseSignals;

    @BeforeAll
    static void startCluster() throws Exception {
        movielens = new GeneratedMovieLens(tmp.resolve("data"), 10_000);
        pauseSignals = Files.createDirectories(tmp.resolve("pause-signals"));
        SparkConf conf = SparkConfs.forLocalClusterFromClassPath(SparkConfs.withCinelabDefaults(new SparkConf()
                .setMaster("local-cluster[2,1,1024]").setAppName("cinelab-local-cluster-test")
                .set("spark.ui.enabled", "false")
                // State on pausefs: the first executor that writes a checkpoint of epoch 2 waits there to be killed.
                .set("spark.hadoop.fs.pausefs.impl", PausingFileSystem.class.getName())
                .set("spark.hadoop.pausefs.pause.when", "checkpoint-2.bin")
                .set("spark.hadoop.pausefs.signal.dir", pauseSignals.toString()), System.getenv()));
        sc = new JavaSparkContext(conf);
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                TASK_ENDS.add("stage " + end.stageId() + " task " + end.taskInfo().index() + "." + end.taskInfo().attemptNumber()
                        + " on executor " + end.taskInfo().executorId() + ": " + end.reason());
            }
        });
        tasks = new SparkTasks(sc);
        awaitExecutors(2);
    }

    @AfterAll
    static void stopCluster() {
        if (tasks != null) tasks.close();
        if (sc != null) sc.stop();
    }

    /** Executors register a few seconds after the context starts; tests that need two wait for both. */
    static void awaitExecutors(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (sc.sc().getExecutorMemoryStatus().size() < count + 1) {
            if (System.nanoTime() > deadline) fail("only " + (sc.sc().getExecutorMemoryStatus().size() - 1) + " executors registered");
            Thread.sleep(200);
        }
    }

    @Test
    void biasedMfAndAutoRecTrainInExecutorJvmsExactlyAsOnTheDriver() throws Exception {
        TrainingSegment mf = TrainingSegment.simple("biased-mf", Map.of("factors", 16, "lr", 0.01), 11, movielens.source, 2);
        TrainingSegment autorec = TrainingSegment.simple("autorec", Map.of("hidden", "16", "lr", 0.01, "batch_size", 32), 5, movielens.source, 2);
        CompletableFuture<TrainingSegment.Result> mfResult = tasks.submit("biased-mf", mf::run);
        CompletableFuture<TrainingSegment.Result> autorecResult = tasks.submit("autorec", autorec::run);
        // The references train on the driver meanwhile.
        Map<String, List<Double>> reference = Map.of("biased-mf", mf.runHere(movielens.onDriver), "autorec", autorec.runHere(movielens.onDriver));
        long driverPid = ProcessHandle.current().pid();
        for (var pair : List.of(Map.entry(mf, mfResult), Map.entry(autorec, autorecResult))) {
            TrainingSegment.Result r = pair.getValue().get(180, TimeUnit.SECONDS);
            assertNotEquals(driverPid, r.pid(), "ran in an executor JVM");
            assertNotEquals("driver", r.executorId());
            assertEquals(reference.get(pair.getKey().modelType()), r.validationRmse(), pair.getKey().modelType() + " bit for bit");
        }
    }

    /** Both executors ask for a dataset that is not yet in their machine's cache, at the same moment. */
    @Test
    void twoExecutorJvmsOnOneMachineDownloadADatasetOnce() throws Exception {
        awaitExecutors(2);
        Path cache = tmp.resolve("machine-cache");
        Path ready = Files.createDirectories(tmp.resolve("ready"));
        try (ToyMirror mirror = new ToyMirror()) {
            ToyMirror.Entry entry = mirror.entry;
            DataSource toy = new DataSource("toy", null, Map.of(), 0, null, null, null);
            String cacheDir = cache.toString(), readyDir = ready.toString();
            List<CompletableFuture<String>> fetches = List.of(
                    tasks.submit("fetch a", () -> fetchTogether(entry, toy, cacheDir, readyDir)),
                    tasks.submit("fetch b", () -> fetchTogether(entry, toy, cacheDir, readyDir)));
            List<String> answers = List.of(fetches.get(0).get(120, TimeUnit.SECONDS), fetches.get(1).get(120, TimeUnit.SECONDS));
            assertEquals(1, mirror.archiveDownloads(), "downloads of toy.zip");
            assertNotEquals(answers.get(0).split(" ")[0], answers.get(1).split(" ")[0], "two JVMs: " + answers);
            for (String a : answers) assertTrue(a.endsWith(cache.resolve("toy").toString()), a);
            assertArrayEquals(ToyMirror.RATINGS, Files.readAllBytes(cache.resolve("toy/ratings.txt")));
        }
    }

    /** Runs on an executor: waits until both tasks are running, then fetches; answers "pid folder". */
    private static String fetchTogether(ToyMirror.Entry entry, DataSource toy, String cacheDir, String readyDir) throws Exception {
        long pid = ProcessHandle.current().pid();
        Files.writeString(Path.of(readyDir, Long.toString(pid)), "");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (countFiles(readyDir) < 2 && System.nanoTime() < deadline) Thread.sleep(20);
        Path dir = new ExecutorDatasets(entry.catalog(), Path.of(cacheDir), null).dataDir(toy);
        return pid + " " + dir.resolve("toy");
    }

    private static long countFiles(String dir) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            return s.count();
        }
    }

    /**
     * Attempt 0 logs epochs 1 and 2, checkpoints epoch 1 only, and is killed (SIGKILL of its executor
     * JVM) before checkpointing epoch 2. Spark runs attempt 1 on another executor; it resumes from
     * checkpoint 1, trains epochs 2 and 3, and skips step 2, which the server already holds.
     */
    @Test
    void anExecutorKilledMidSegmentIsRetriedFromItsLastCheckpointWithNoStepLostOrDuplicated() throws Exception {
        awaitExecutors(2);
        Path signals = Files.createDirectories(tmp.resolve("signals"));
        Path state = tmp.resolve("state");
        try (FakeMlflowServer server = FakeMlflowServer.started(); Tracker driver = TrackerFactory.open(server.uri())) {
            String runId = driver.createRun(driver.getOrCreateExperiment("spark-fault", Map.of()), "t07", System.currentTimeMillis(), Map.of());
            TrackingTarget target = ExecutorTracking.plan(server.uri(), sc.master(), false);
            TrainingSegment segment = new TrainingSegment("biased-mf", Map.of("factors", 8, "lr", 0.01), 7, movielens.source, "t07", 3,
                    state.toUri().toString(), target, runId, 2, signals.toString());
            CompletableFuture<TrainingSegment.Result> result = tasks.submit("t07 to epoch 3", segment::run);

            long victim = awaitPausedAttempt(signals, result);
            ProcessHandle executor = ProcessHandle.of(victim).orElseThrow();
            assertEquals(ProcessHandle.current().pid(), executor.parent().orElseThrow().pid(), "only kill an executor this test started");
            executor.destroyForcibly();

            TrainingSegment.Result r = result.get(180, TimeUnit.SECONDS);
            assertEquals(1, r.attempt(), "TaskContext.attemptNumber() of the retry");
            assertNotEquals(victim, r.pid());
            assertEquals(1, r.resumedFromEpoch(), "resumed from the last checkpoint, epoch 1");
            List<Double> reference = segment.runHere(movielens.onDriver);
            assertEquals(reference.subList(1, 3), r.validationRmse(), "epochs 2 and 3 as an uninterrupted run");
            List<MetricPoint> history = driver.getMetricHistory(runId, "val_rmse");
            assertEquals(List.of(1L, 2L, 3L), history.stream().map(MetricPoint::step).toList(), "every step once");
            assertEquals(reference, history.stream().map(MetricPoint::value).toList());
            System.out.println("fault experiment, task ends seen by the driver:" + System.lineSeparator() + "  "
                    + String.join(System.lineSeparator() + "  ", TASK_ENDS));
            assertTrue(TASK_ENDS.stream().anyMatch(e -> e.contains(".0 on executor") && e.contains("ExecutorLostFailure")), TASK_ENDS.toString());
        }
    }

    /**
     * {@code cinelab run --executor spark} of a one-trial search: the executor training it is killed
     * (SIGKILL) after logging epoch 2 and before its checkpoint and state of epoch 2 are written. Spark
     * runs the segment again on another executor; it resumes from checkpoint 1, skips the step already
     * logged, and the run ends as an uninterrupted local one: every step once, values bit for bit.
     */
    @Test
    void anExecutorLostMidSegmentOfASearchIsRetriedFromItsLastCheckpointAndRecordedOnce() throws Exception {
        awaitExecutors(2);
        Path spec = Files.writeString(tmp.resolve("lost.yaml"), """
                experiment: {name: spark-lost-executor}
                seed: 9
                dataset: {name: movielens-100k, split: u1, options: {validation_ratio: 0.1}}
                model: {type: biased-mf, params: {factors: 8}}
                search: {sampler: grid, scheduler: none, max_epochs: 4}
                space:
                  lr: [0.01]
                objective: {metric: rmse, mode: min}
                """);
        Path mlruns = tmp.resolve("lost-mlruns");
        int endsBefore = TASK_ENDS.size();
        CompletableFuture<Cli.Outcome> run = CompletableFuture.supplyAsync(() -> Cli.run("run", spec.toString(), "--executor", "spark",
                "--master", sc.master(), "--state-dir", PausingFileSystem.SCHEME + "://" + tmp.resolve("lost-state"),
                "--tracking-uri", mlruns.toString(), "--data-dir", movielens.dataDir.toString()));
        Path paused = pauseSignals.resolve("paused");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.exists(paused) || Files.readString(paused).isBlank()) {
            if (run.isDone()) fail("the search ended before an executor paused: " + run.get());
            if (System.nanoTime() > deadline) fail("no executor paused at checkpoint 2 within 180 s");
            Thread.sleep(50);
        }
        ProcessHandle executor = ProcessHandle.of(Long.parseLong(Files.readString(paused).trim())).orElseThrow();
        assertEquals(ProcessHandle.current().pid(), executor.parent().orElseThrow().pid(), "only kill an executor this test started");
        executor.destroyForcibly();

        Cli.Outcome o = run.get(300, TimeUnit.SECONDS);
        assertEquals(0, o.exit(), o.toString());
        assertTrue(o.out().contains("Spark: 1 segment(s), 1 of them retried"), o.out());
        List<String> ends = TASK_ENDS.subList(endsBefore, TASK_ENDS.size());
        System.out.println("lost executor in a search, task ends seen by the driver:" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", ends));
        assertEquals(1, ends.stream().filter(e -> e.contains("ExecutorLostFailure")).count(), ends.toString());
        assertEquals(1, ends.stream().filter(e -> e.endsWith("Success")).count(), ends.toString());

        Cli.Outcome local = Cli.run("run", spec.toString(), "--tracking-uri", tmp.resolve("lost-reference").toString(),
                "--state-dir", tmp.resolve("lost-reference-state").toString(), "--data-dir", movielens.dataDir.toString());
        assertEquals(0, local.exit(), local.toString());
        try (MlflowFileStore a = new MlflowFileStore(tmp.resolve("lost-reference")); MlflowFileStore b = new MlflowFileStore(mlruns)) {
            Map<String, String> reference = RunSnapshot.of(a, a.findExperimentByName("spark-lost-executor").orElseThrow().experimentId());
            Map<String, String> retried = RunSnapshot.of(b, b.findExperimentByName("spark-lost-executor").orElseThrow().experimentId());
            assertEquals(reference, retried);
            assertTrue(retried.values().stream().anyMatch(v -> v.contains("val_rmse=1:") && v.contains(" 4:")), retried.toString());
        }
    }

    private static long awaitPausedAttempt(Path signals, CompletableFuture<?> result) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(signals.resolve("paused-0"))) {
            if (result.isDone()) fail("the segment ended before pausing: " + result.get());
            if (System.nanoTime() > deadline) fail("attempt 0 never paused");
            Thread.sleep(100);
        }
        return Long.parseLong(Files.readString(signals.resolve("attempt-0.pid")).trim());
    }
}
