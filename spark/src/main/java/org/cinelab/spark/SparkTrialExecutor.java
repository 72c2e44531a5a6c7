package org.cinelab.spark;

import org.cinelab.data.catalog.DatasetInstaller;
import org.cinelab.runner.Trial;
import org.cinelab.runner.TrialContext;
import org.cinelab.runner.TrialExecutor;
import org.cinelab.runner.TrialRunner;
import org.cinelab.runner.TrialState;
import org.cinelab.space.Hyperparams;
import org.cinelab.spark.executor.DataSource;
import org.cinelab.spark.executor.SharedPathProbe;
import org.cinelab.spark.executor.TrackingTarget;
import org.cinelab.spark.state.StateStorages;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecException;
import org.cinelab.spec.SpecLoader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Trains trial segments on Spark executors: each segment (or finish) is its own one-task Spark job
 * ({@link SparkTasks}), up to {@link #slots()} at once, and each result goes to the search loop the
 * moment its job ends, so a free slot gets the scheduler's next decision at once: no stage, and no
 * rung, waits for its slowest trial. The segment runs to its target on the executor (see
 * {@link SegmentTask}); here its final state is replayed to the loop: one {@code afterEpoch} with all
 * its new epochs (whose answer the executor already acted on), then {@code ended}. A segment whose
 * every attempt failed (storage, tracking, lost executors: {@code spark.task.maxFailures}) crashes the
 * search like a disk failure would locally; it continues with {@code --resume}.
 */
public final class SparkTrialExecutor implements TrialExecutor {
    private final SparkExecution spark;
    private final SegmentTask.Setup setup;
    private final Map<String, Segment> running = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    /** Threads that replay results to the loop, one per segment ending at a time. */
    private final ExecutorService reporters = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cinelab-spark-result");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong segments = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong wallMillis = new AtomicLong();
    private final AtomicLong taskMillis = new AtomicLong();

    private SparkTrialExecutor(SparkExecution spark, SegmentTask.Setup setup) {
        this.spark = spark;
        this.setup = setup;
    }

    /** A segment handed to Spark and not yet reported to the loop. */
    private static final class Segment {
        final String trialId;
        final Listener listener;
        final AtomicBoolean reported = new AtomicBoolean();
        final long submittedNanos = System.nanoTime();
        volatile CompletableFuture<SegmentResult> future;

        Segment(String trialId, Listener listener) {
            this.trialId = trialId;
            this.listener = listener;
        }
    }

    @Override
    public int slots() { return spark.slots(); }

    @Override
    public void train(Trial trial, int target, Listener listener) {
        submit(trial, "cinelab " + trial.id() + " to epoch " + target, SegmentTask.train(setup, trial, target), listener, true);
    }

    @Override
    public void finish(Trial trial, String reason, Listener listener) {
        submit(trial, "cinelab " + trial.id() + " finish", SegmentTask.finish(setup, trial, reason), listener, false);
    }

    private void submit(Trial trial, String description, SegmentTask task, Listener listener, boolean training) {
        Segment segment = new Segment(trial.id(), listener);
        if (stopping) {
            report(segment, null, new TrialRunner.Stopped(), training);
            return;
        }
        running.put(trial.id(), segment);
        CompletableFuture<SegmentResult> future = spark.tasks().submit(description, task::run);
        segment.future = future;
        if (segment.reported.get()) future.cancel(true); // a stop came between put and here
        // Never on the caller's thread (the search loop's, when the job has already ended): the replay waits for the loop.
        future.whenCompleteAsync((result, error) -> report(segment, result, error, training), reporters);
    }

    /** Tells the loop how a segment ended, once. */
    private void report(Segment segment, SegmentResult result, Throwable error, boolean training) {
        running.remove(segment.trialId, segment);
        if (!segment.reported.compareAndSet(false, true)) return;
        Listener listener = segment.listener;
        if (error != null) {
            boolean stopped = stopping || spark.isStopped() || error instanceof TrialRunner.Stopped;
            listener.crashed(segment.trialId, stopped ? new TrialRunner.Stopped() : SparkFailures.segmentFailed(segment.trialId, error));
            return;
        }
        segments.incrementAndGet();
        if (result.attempt().isRetry()) retried.incrementAndGet();
        wallMillis.addAndGet((System.nanoTime() - segment.submittedNanos) / 1_000_000);
        taskMillis.addAndGet(result.taskMillis());
        TrialState s = result.state();
        try {
            // The loop takes every new epoch of the state at once; what it answers, the executor has done already.
            if (training && (s.status != TrialState.Status.FAILED || s.epochsDone > result.epochsBefore())) listener.afterEpoch(s);
            listener.ended(s);
        } catch (RuntimeException e) {
            listener.crashed(segment.trialId, e);
        }
    }

    /** Ctrl-C: cancels every segment's job (its task stops at its next epoch boundary) and tells the loop at once. */
    @Override
    public void requestStop() {
        stopping = true;
        for (Segment s : running.values()) {
            if (s.future != null) s.future.cancel(true);
            report(s, null, new TrialRunner.Stopped(), false);
        }
    }

    @Override
    public void close() {
        stopping = true;
        reporters.shutdown();
        for (Segment s : running.values()) {
            s.reported.set(true);
            if (s.future != null) s.future.cancel(true);
        }
        long n = segments.get();
        if (n > 0) {
            spark.request().out().printf(Locale.ROOT, "Spark: %d segment(s), %d of them retried after a failed attempt; per segment "
                            + "%.0f ms in the task, %.0f ms from submission to result on the driver%n",
                    n, retried.get(), (double) taskMillis.get() / n, (double) wallMillis.get() / n);
            spark.request().out().flush();
        }
    }

    /** Makes the executor of one execution, with what its tasks need (see {@link SegmentTask.Setup}). */
    static final class Factory implements TrialExecutor.Factory {
        private final SparkExecution spark;
        private final TrackingTarget tracking;
        private final Path dataDir;
        private final boolean dataDirGiven;

        Factory(SparkExecution spark, TrackingTarget tracking, Path dataDir, boolean dataDirGiven) {
            this.spark = spark;
            this.tracking = tracking;
            this.dataDir = dataDir;
            this.dataDirGiven = dataDirGiven;
        }

        @Override
        public TrialExecutor create(TrialContext context, TrialRunner local, Function<Trial, Hyperparams> hyperparams, int parallel)
                throws IOException {
            ExperimentSpec spec;
            try {
                spec = SpecLoader.loadString(context.resolvedSpec(), Path.of(context.specFile()));
            } catch (SpecException e) {
                throw new IOException("the resolved spec does not load back: " + e.getMessage(), e);
            }
            String master = spark.context().master();
            boolean singleMachine = SparkMasters.isSingleMachine(master);
            DataSource data = new DataSource(spec.dataset().name(), spec.dataset().split(), spec.dataset().options(), spec.seed(),
                    dataFolder(singleMachine), System.getenv(DatasetInstaller.MIRROR_ENV), context.provenance().get("cinelab.split_id"));
            String stateDir = spark.request().stateDir();
            SharedPathProbe stateProbe = null;
            if (!StateStorages.isClusterFileSystem(stateDir)) {
                Path folder = stateDir.regionMatches(true, 0, "file:", 0, 5) ? Path.of(java.net.URI.create(stateDir)) : Path.of(stateDir);
                stateDir = folder.toAbsolutePath().normalize().toString();
                if (!singleMachine) {
                    // Made now, after a fresh start has cleared the folder.
                    stateProbe = SharedPathProbe.create(folder, "the state dir", "Give --state-dir a folder every executor mounts at "
                            + "the same path, or a cluster file system: hdfs://namenode/dir, s3a://bucket/dir.");
                    spark.created(stateProbe);
                }
            }
            return new SparkTrialExecutor(spark, new SegmentTask.Setup(context, data, tracking, stateDir, stateProbe));
        }

        /**
         * The driver's data folder for executors: as it is on one machine; on a cluster when the user
         * named it (meant to be shared; each executor checks the driver's marker when the driver could
         * write one); else null: each executor fetches the dataset into its own machine's cache.
         */
        private SharedPathProbe dataFolder(boolean singleMachine) {
            if (singleMachine) return SharedPathProbe.trusted(dataDir, "the data dir");
            if (!dataDirGiven) return null;
            try {
                SharedPathProbe probe = SharedPathProbe.create(dataDir, "the data dir", "Mount it at the same path on every executor, "
                        + "or leave out --data-dir and CINELAB_DATA so that each executor fetches the dataset into its own cache.");
                spark.created(probe);
                return probe;
            } catch (IOException readOnly) {
                return SharedPathProbe.trusted(dataDir, "the data dir");
            }
        }

        @Override
        public String cliOptions() {
            var r = spark.request();
            return " --executor spark --master " + spark.context().master() + (r.sharedFileStore() ? " --shared-file-store" : "");
        }
    }
}
