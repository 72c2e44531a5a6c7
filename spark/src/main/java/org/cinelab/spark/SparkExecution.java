package org.cinelab.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.api.java.JavaSparkContext;
import org.cinelab.io.StateStorage;
import org.cinelab.runner.ExecutorProvider;
import org.cinelab.runner.TrialExecutor;
import org.cinelab.spark.executor.ExecutorTracking;
import org.cinelab.spark.executor.SharedPathProbe;
import org.cinelab.spark.executor.TrackingTarget;
import org.cinelab.spark.state.StateStorages;
import org.cinelab.tracking.factory.TrackerFactory;
import scala.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Spark side of one {@code cinelab run --executor spark}: the Spark context (started here with
 * {@code --master} or spark-submit's master, or the one this JVM already runs), the state storage of
 * {@code --state-dir} URIs, and the factory of the {@link SparkTrialExecutor}. Closing it stops the
 * context when it started it, and removes the marker files executors checked shared folders with.
 */
final class SparkExecution implements ExecutorProvider.Session {
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[(\\d+),(\\d+),(\\d+)]");
    private final ExecutorProvider.Request request;
    private final JavaSparkContext sc;
    private final boolean ownsContext;
    private final SparkTasks tasks;
    private final List<SharedPathProbe> probes = new CopyOnWriteArrayList<>();

    private SparkExecution(ExecutorProvider.Request request, JavaSparkContext sc, boolean ownsContext) {
        this.request = request;
        this.sc = sc;
        this.ownsContext = ownsContext;
        this.tasks = new SparkTasks(sc);
    }

    static SparkExecution open(ExecutorProvider.Request r) {
        SparkConf conf = new SparkConf(); // spark.* system properties: what spark-submit was given
        String master = r.master() != null && !r.master().isBlank() ? r.master().trim()
                : conf.contains("spark.master") ? conf.get("spark.master") : null;
        if (master == null) {
            throw new IllegalArgumentException("--executor spark needs a Spark master: --master local[N] | local-cluster[W,C,M] | "
                    + "spark://HOST:7077 | k8s://https://HOST:PORT, or spark-submit --master ...");
        }
        conf.setMaster(master);
        if (!conf.contains("spark.app.name")) conf.setAppName(r.appName());
        if (master.startsWith("local-cluster") && System.getenv("SPARK_HOME") == null) SparkConfs.forLocalClusterFromClassPath(conf);
        SparkConfs.withCinelabDefaults(conf, System.getenv());
        Option<SparkContext> active = SparkContext$.MODULE$.getActive();
        if (active.isDefined()) {
            SparkContext running = active.get();
            if (!running.master().equals(master)) {
                throw new IllegalArgumentException("--master " + master + ": this JVM already runs a Spark context with master "
                        + running.master() + "; give that master or none");
            }
            return announce(new SparkExecution(r, JavaSparkContext.fromSparkContext(running), false));
        }
        try {
            return announce(new SparkExecution(r, new JavaSparkContext(conf), true));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--master " + master + ": Spark could not start (" + SparkFailures.words(e)
                    + "); a master is local[N], local-cluster[W,C,M], spark://HOST:7077, k8s://https://HOST:PORT or yarn");
        }
    }

    private static SparkExecution announce(SparkExecution e) {
        e.awaitLocalClusterExecutors();
        e.request.out().printf("Spark %s: master %s, application %s, %d task slot(s) now (executors are used as they register)%n",
                e.sc.version(), e.sc.master(), e.sc.sc().applicationId(), e.slots());
        e.request.out().flush();
        return e;
    }

    /**
     * {@code local-cluster[W,C,M]} starts its W executor JVMs after the context: wait (up to 120 s) until
     * their W x C slots are there, so the search starts on all of them. (On a cluster the number to
     * expect is not known; there late executors are used from the next segment that ends.)
     */
    private void awaitLocalClusterExecutors() {
        Matcher m = LOCAL_CLUSTER.matcher(sc.master().replace(" ", ""));
        if (!m.matches()) return;
        int expected = Integer.parseInt(m.group(1)) * Integer.parseInt(m.group(2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (clusterSlots() < expected && System.nanoTime() < deadline && !isStopped()) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public StateStorage stateStorage(String location) throws IOException {
        return StateStorages.open(location, sc.hadoopConfiguration());
    }

    @Override
    public TrialExecutor.Factory factory(String trackingUri, Path dataDir, boolean dataDirGiven) throws IOException {
        String master = sc.master();
        // Executors run in other working directories: a file store is named by its absolute file: URI.
        String uri = TrackerFactory.resolveUri(trackingUri);
        if (!TrackerFactory.isServerUri(uri)) uri = TrackerFactory.canonicalUri(uri);
        TrackingTarget tracking = ExecutorTracking.plan(uri, master, request.sharedFileStore());
        if (tracking.fileStoreProbe() != null) probes.add(tracking.fileStoreProbe());
        return new SparkTrialExecutor.Factory(this, tracking, dataDir, dataDirGiven);
    }

    JavaSparkContext context() { return sc; }

    SparkTasks tasks() { return tasks; }

    ExecutorProvider.Request request() { return request; }

    /** A marker file to remove when the execution ends. */
    void created(SharedPathProbe probe) {
        if (probe != null && probe.token() != null) probes.add(probe);
    }

    /**
     * Task slots: executor cores / {@code spark.task.cpus} over the executors registered now (so an
     * executor that registers late, or replaces a lost one, is used from then on), at least 1;
     * {@code --parallel N} (N > 1) fixes it at N instead.
     */
    int slots() {
        return request.parallel() > 1 ? request.parallel() : clusterSlots();
    }

    private int clusterSlots() {
        try {
            SparkContext c = sc.sc();
            return Math.max(1, c.maxNumConcurrentTasks(c.resourceProfileManager().defaultResourceProfile()));
        } catch (RuntimeException e) {
            return Math.max(1, sc.defaultParallelism());
        }
    }

    boolean isStopped() { return sc.sc().isStopped(); }

    @Override
    public void close() {
        tasks.close();
        for (SharedPathProbe p : probes) {
            try {
                p.delete();
            } catch (IOException ignored) {
                // a marker file left behind is harmless
            }
        }
        if (ownsContext) sc.stop();
    }
}
