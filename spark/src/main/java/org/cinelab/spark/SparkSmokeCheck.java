package org.cinelab.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.sets.MovieLens100k;
import org.cinelab.data.PreparedData;
import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.space.Hyperparams;
import org.cinelab.spark.executor.ExecutorTracking;
import org.cinelab.spark.executor.TaskAttempt;
import org.cinelab.spark.executor.TrackingTarget;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.factory.TrackerFactory;
import org.cinelab.tracking.rest.FakeMlflowServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Checks a Spark cluster and the shaded jar before real work: trains {@code biased-mf} (plain Java)
 * and {@code autorec} (DL4J, ND4J's native code) for two epochs each in executor tasks, logs the
 * epochs to MLflow when a tracking URI is given, and prints where each ran and its validation RMSE.
 * Each executor generates the same MovieLens-100k-format data from a fixed seed; the split id proves
 * it matches the driver's. Exit code 0 when every task trained, 1 otherwise.
 *
 * <pre>spark-submit --class org.cinelab.spark.SparkSmokeCheck cinelab-spark-all.jar [--tracking-uri URI]</pre>
 * {@code --tracking-uri in-process} starts a stand-in MLflow server in the driver (local masters only).
 */
public final class SparkSmokeCheck {
    private static final int RATINGS = 10_000;
    private static final long SEED = 42;

    private SparkSmokeCheck() {}

    public static void main(String[] args) throws Exception {
        String trackingUri = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--tracking-uri") && i + 1 < args.length) trackingUri = args[++i];
            else {
                System.err.println("usage: SparkSmokeCheck [--tracking-uri URI|in-process]");
                System.exit(2);
            }
        }
        SparkConf conf = new SparkConf().setAppName("cinelab-smoke-check").setIfMissing("spark.master", "local[2]");
        if (conf.get("spark.master").startsWith("local-cluster")) SparkConfs.forLocalClusterFromClassPath(conf);
        SparkConfs.withCinelabDefaults(conf, System.getenv());
        FakeMlflowServer fake = "in-process".equals(trackingUri) ? FakeMlflowServer.started() : null;
        if (fake != null) trackingUri = fake.uri();
        int exit = 0;
        try (JavaSparkContext sc = new JavaSparkContext(conf); SparkTasks tasks = new SparkTasks(sc)) {
            String splitId = load(Files.createTempDirectory("cinelab-smoke-driver")).splitId();
            TrackingTarget target = trackingUri == null ? null : ExecutorTracking.plan(trackingUri, sc.master(), false);
            Tracker driverTracker = target == null ? null : TrackerFactory.open(target.uri());
            String experiment = driverTracker == null ? null : driverTracker.getOrCreateExperiment("cinelab-smoke-check", Map.of());
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (var model : List.of(Map.entry("biased-mf", Map.<String, Object>of("factors", 16, "lr", 0.01)),
                    Map.entry("autorec", Map.<String, Object>of("hidden", "16", "lr", 0.01, "batch_size", 32)))) {
                String runId = driverTracker == null ? null
                        : driverTracker.createRun(experiment, model.getKey(), System.currentTimeMillis(), Map.of());
                String type = model.getKey();
                Map<String, Object> params = model.getValue();
                results.add(tasks.submit("smoke " + type, () -> train(type, params, splitId, target, runId)));
            }
            for (CompletableFuture<String> r : results) {
                try {
                    System.out.println(r.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    System.out.println("FAILED: " + e.getCause().getMessage());
                    exit = 1;
                }
            }
            if (driverTracker != null) driverTracker.close();
        } finally {
            if (fake != null) {
                System.out.println("in-process MLflow server received " + fake.metricPointCount() + " metric points");
                fake.close();
            }
        }
        System.exit(exit);
    }

    /** Runs on an executor. */
    private static String train(String type, Map<String, Object> params, String driverSplitId, TrackingTarget target, String runId)
            throws IOException {
        TaskAttempt attempt = TaskAttempt.current();
        Path dir = Files.createTempDirectory("cinelab-smoke-data");
        try {
            PreparedData data = load(dir);
            if (!data.splitId().equals(driverSplitId)) {
                throw new IllegalStateException("executor " + attempt.executorId() + " generated other data: split id " + data.splitId());
            }
            ModelFactory factory = ModelRegistry.find(type).orElseThrow();
            TrialModel model = factory.create(Hyperparams.resolve(factory.hyperParameters(), params, Map.of()), data, SEED);
            Tracker tracker = target == null ? null : ExecutorTracking.open(target);
            List<Double> rmse = new ArrayList<>();
            for (int epoch = 1; epoch <= 2; epoch++) {
                double loss = model.trainEpoch(epoch);
                double val = model.evaluate(TrialModel.Split.VALIDATION).get("rmse");
                rmse.add(val);
                if (tracker != null) {
                    long now = System.currentTimeMillis();
                    tracker.logMetrics(runId, List.of(new MetricPoint("train_loss", loss, epoch, now), new MetricPoint("val_rmse", val, epoch, now)));
                }
            }
            return String.format("%-10s executor %s on %s (pid %d, attempt %d): validation RMSE by epoch %s", type, attempt.executorId(),
                    attempt.host(), ProcessHandle.current().pid(), attempt.attemptNumber(), rmse);
        } finally {
            org.cinelab.io.LocalStateStorage cleanup = new org.cinelab.io.LocalStateStorage(dir);
            for (String name : cleanup.list("")) cleanup.delete(name);
            Files.deleteIfExists(dir);
        }
    }

    private static PreparedData load(Path dir) throws IOException {
        SyntheticMovieLens.write(dir, RATINGS, RATINGS / 10, 7);
        return new MovieLens100k().load(new DatasetRequest("u1", Map.of("validation_ratio", 0.1), SEED, dir, s -> {}));
    }
}
