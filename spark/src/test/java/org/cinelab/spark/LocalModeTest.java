package org.cinelab.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.cinelab.spark.executor.ExecutorTracking;
import org.cinelab.spark.executor.TaskAttempt;
import org.cinelab.spark.executor.TaskOutcome;
import org.cinelab.spark.executor.TrackingTarget;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.factory.TrackerFactory;
import org.cinelab.tracking.rest.FakeMlflowServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Real CineLab training inside Spark tasks in {@code local[2,4]} (two task threads in this JVM,
 * four attempts per task as on a cluster): biased MF and a DL4J AutoRec on a generated
 * MovieLens-100k folder, logging to an MLflow server through the official client.
 */
class LocalModeTest {
    @TempDir static Path tmp;
    static JavaSparkContext sc;
    static SparkTasks tasks;
    static GeneratedMovieLens movielens;

    /** Shared with the tasks: in local mode they run in this JVM. */
    static final AtomicInteger ATTEMPTS = new AtomicInteger();
    static final CyclicBarrier BOTH_STARTED = new CyclicBarrier(2);
    static final CountDownLatch FIRST_RESULT_SEEN = new CountDownLatch(1);

    @BeforeAll
    static void startSpark() throws Exception {
        movielens = new GeneratedMovieLens(tmp.resolve("data"), 10_000);
        SparkConf conf = SparkConfs.withCinelabDefaults(new SparkConf().setMaster("local[2,4]").setAppName("cinelab-local-test")
                .set("spark.ui.enabled", "false"), System.getenv());
        sc = new JavaSparkContext(conf);
        tasks = new SparkTasks(sc);
    }

    @AfterAll
    static void stopSpark() {
        if (tasks != null) tasks.close();
        if (sc != null) sc.stop();
    }

    @Test
    void biasedMatrixFactorisationTrainsInATaskExactlyAsOnTheDriver() throws Exception {
        TrainingSegment segment = TrainingSegment.simple("biased-mf", Map.of("factors", 16, "lr", 0.01), 11, movielens.source, 2);
        TrainingSegment.Result r = tasks.submit("biased-mf t00", segment::run).get(120, TimeUnit.SECONDS);
        assertEquals(segment.runHere(movielens.onDriver), r.validationRmse());
        assertEquals(2, r.validationRmse().size());
        // So sparse a generated sample (10 ratings per user) does not beat the mean; what matters here is that
        // the task trained (epoch 2 differs from epoch 1) and bit for bit like the driver.
        assertNotEquals(r.validationRmse().get(0), r.validationRmse().get(1));
        assertTrue(Math.abs(r.validationRmse().get(1) - movielens.meanBaselineRmse()) < 0.1, r.validationRmse() + " vs the mean's "
                + movielens.meanBaselineRmse());
        assertEquals("driver", r.executorId());
    }

    @Test
    void aDl4jAutoRecTrainsInATaskExactlyAsOnTheDriver() throws Exception {
        TrainingSegment segment = TrainingSegment.simple("autorec", Map.of("hidden", "16", "lr", 0.01, "batch_size", 32), 5, movielens.source, 2);
        TrainingSegment.Result r = tasks.submit("autorec t00", segment::run).get(120, TimeUnit.SECONDS);
        assertEquals(segment.runHere(movielens.onDriver), r.validationRmse());
        assertTrue(r.validationRmse().get(1) < r.validationRmse().get(0), "epoch 2 improves on epoch 1: " + r.validationRmse());
    }

    @Test
    void segmentsRunConcurrentlyAndEachResultArrivesOnItsOwn() throws Exception {
        CompletableFuture<String> quick = tasks.submit("quick", () -> {
            BOTH_STARTED.await(60, TimeUnit.SECONDS);
            return "quick";
        });
        CompletableFuture<String> slow = tasks.submit("slow", () -> {
            BOTH_STARTED.await(60, TimeUnit.SECONDS);
            // Finishes only after the driver has seen the other job's result.
            assertTrue(FIRST_RESULT_SEEN.await(60, TimeUnit.SECONDS), "the quick result never reached the driver");
            return "slow";
        });
        assertEquals("quick", quick.get(60, TimeUnit.SECONDS));
        assertFalse(slow.isDone());
        FIRST_RESULT_SEEN.countDown();
        assertEquals("slow", slow.get(60, TimeUnit.SECONDS));
    }

    @Test
    void aThrownFailureIsRetriedButAReturnedModelFailureRunsOnce() throws Exception {
        ATTEMPTS.set(0);
        CompletableFuture<String> thrown = tasks.submit("throws", () -> {
            ATTEMPTS.incrementAndGet();
            throw new IllegalStateException("loss became NaN at epoch 1");
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> thrown.get(60, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("loss became NaN"), e.getCause().getMessage());
        assertEquals(4, ATTEMPTS.get(), "spark.task.maxFailures=4: the task ran four times");

        ATTEMPTS.set(0);
        TaskOutcome<String> returned = tasks.submit("returns", () -> TaskOutcome.<String>capture(TaskAttempt.current(), () -> {
            ATTEMPTS.incrementAndGet();
            throw new IllegalStateException("loss became NaN at epoch 1");
        })).get(60, TimeUnit.SECONDS);
        assertTrue(returned.isFailed());
        assertEquals("loss became NaN at epoch 1", returned.failure());
        assertEquals(0, returned.attempt().attemptNumber());
        assertEquals(1, ATTEMPTS.get());
    }

    @Test
    void aTaskLogsToAnMlflowServerThroughTheOfficialClient() throws Exception {
        try (FakeMlflowServer server = FakeMlflowServer.started(); Tracker driver = TrackerFactory.open(server.uri())) {
            String runId = driver.createRun(driver.getOrCreateExperiment("spark-local", Map.of()), "t00", System.currentTimeMillis(), Map.of());
            TrackingTarget target = ExecutorTracking.plan(server.uri(), "local[2,4]", false);
            TrainingSegment segment = new TrainingSegment("biased-mf", Map.of("factors", 8), 3, movielens.source, "t00", 2,
                    null, target, runId, 0, null);
            TrainingSegment.Result r = tasks.submit("logging t00", segment::run).get(120, TimeUnit.SECONDS);
            List<MetricPoint> history = driver.getMetricHistory(runId, "val_rmse");
            assertEquals(List.of(1L, 2L), history.stream().map(MetricPoint::step).toList());
            assertEquals(r.validationRmse(), history.stream().map(MetricPoint::value).toList());
        }
    }
}
