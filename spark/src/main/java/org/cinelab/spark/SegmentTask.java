package org.cinelab.spark;

import org.apache.spark.TaskContext;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.data.PreparedData;
import org.cinelab.io.StateStorage;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.runner.StateStore;
import org.cinelab.runner.Trial;
import org.cinelab.runner.TrialContext;
import org.cinelab.runner.TrialRunner;
import org.cinelab.runner.TrialState;
import org.cinelab.search.TrialAction;
import org.cinelab.space.Hyperparams;
import org.cinelab.spark.executor.DataSource;
import org.cinelab.spark.executor.ExecutorDatasets;
import org.cinelab.spark.executor.ExecutorStateStorage;
import org.cinelab.spark.executor.ExecutorTracking;
import org.cinelab.spark.executor.SharedPathProbe;
import org.cinelab.spark.executor.TaskAttempt;
import org.cinelab.spark.executor.TrackingTarget;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecException;
import org.cinelab.spec.SpecLoader;
import org.cinelab.tracking.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One trial segment (train from the last checkpoint to {@code target} epochs) or one finish (test
 * metrics, artifacts, run closed) as a Spark task, in any executor JVM. It rebuilds what the driver's
 * runner has: the spec from its resolved YAML, the model from the registry, the data through
 * {@link ExecutorDatasets} (once per JVM), the tracker through {@link ExecutorTracking} (one per JVM,
 * every metric call stored before it returns) and the state storage; then a {@link TrialRunner} does
 * the work. The driver cannot be asked after every epoch, so the segment runs to its target by the
 * schedulers' default rule and finishes the trial itself when that says stop.
 *
 * <p>A model that fails comes back as a FAILED state (TrialRunner records it); what is thrown is
 * infrastructure (storage, tracking, a lost JVM), which Spark retries. A retry (attempt &gt; 0) runs
 * with {@code resuming}: it continues from the last checkpoint, finds the run attempt 0 created, and
 * skips metric steps the tracker already holds.
 *
 * @param finishReason null for a training segment; for a finish, why the trial trains no more
 */
record SegmentTask(Setup setup, Trial trial, int target, String finishReason) implements Serializable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentTask.class);
    /** Specs loaded in this JVM, by their resolved YAML. */
    private static final Map<String, ExperimentSpec> SPECS = new ConcurrentHashMap<>();

    /**
     * What every task of an execution needs, made on the driver.
     *
     * @param stateDir   the state storage as executors open it (an absolute path, file:, hdfs://, s3a://)
     * @param stateProbe the driver's marker in a local state folder on a cluster, else null
     */
    record Setup(TrialContext context, DataSource data, TrackingTarget tracking, String stateDir, SharedPathProbe stateProbe)
            implements Serializable {}

    static SegmentTask train(Setup setup, Trial trial, int target) { return new SegmentTask(setup, trial, target, null); }

    static SegmentTask finish(Setup setup, Trial trial, String reason) { return new SegmentTask(setup, trial, 0, reason); }

    SegmentResult run() throws IOException {
        long start = System.nanoTime();
        TaskAttempt attempt = TaskAttempt.current();
        if (!"driver".equals(attempt.executorId())) {
            // An executor JVM sizes ND4J's BLAS pool to the task's cores (spark.task.cpus, 1 by default): tasks
            // side by side in one executor would otherwise share and oversubscribe it. The driver's own
            // (local[N]) tasks keep the driver's --threads.
            TaskContext task = TaskContext.get();
            Nd4jRuntime.setBlasThreads(Math.max(1, task == null ? 1 : task.cpus()));
        }
        ExperimentSpec spec = spec(setup.context());
        ModelFactory factory = ModelRegistry.find(spec.model().type()).orElseThrow(() -> new IllegalStateException(
                "model type " + spec.model().type() + " is not in this executor's CineLab (" + attempt.executorId() + " on " + attempt.host() + ")"));
        PreparedData data = ExecutorDatasets.standard(LOG::info).load(setup.data());
        Tracker tracker = ExecutorTracking.open(setup.tracking());
        StateStorage storage = ExecutorStateStorage.open(setup.stateDir(), setup.stateProbe());
        Path scratch = Files.createTempDirectory("cinelab-segment-");
        try {
            TrialContext context = attempt.isRetry() ? resuming(setup.context()) : setup.context();
            TrialRunner runner = TrialRunner.of(context, factory, data, tracker, new StateStore(storage, scratch));
            Hyperparams hp = Hyperparams.resolve(factory.hyperParameters(), spec.model().params(), trial.values());
            int before = runner.state(trial.id()).epochsDone;
            TrialState end;
            if (finishReason != null) {
                end = runner.finish(trial, hp, finishReason);
            } else {
                TrialRunner.Verdict v = runner.advance(trial, hp, target, s -> verdict(s, runner));
                end = v.action() == TrialAction.STOP ? runner.finish(trial, hp, v.stopReason()) : runner.state(trial.id());
            }
            return new SegmentResult(end, before, attempt, (System.nanoTime() - start) / 1_000_000);
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * What the driver's loop answers with every scheduler's default {@code onResult}: on to the target,
     * then pause, or stop at {@code maxEpochs}; early stopping stops first. A cancelled job (Ctrl-C on
     * the driver) stops at this epoch boundary, as the local executor does.
     */
    private TrialRunner.Verdict verdict(TrialState s, TrialRunner runner) {
        TaskContext task = TaskContext.get();
        if (task != null && task.isInterrupted()) runner.requestStop();
        if (s.earlyStopped) return TrialRunner.Verdict.stop(TrialRunner.earlyStopReason(s));
        if (s.epochsDone < target) return TrialRunner.Verdict.CONTINUE;
        return target >= setup.context().maxEpochs() ? TrialRunner.Verdict.stop("completed " + s.epochsDone + " epochs")
                : TrialRunner.Verdict.PAUSE;
    }

    private static TrialContext resuming(TrialContext c) {
        return new TrialContext(c.resolvedSpec(), c.specFile(), c.experimentId(), c.parentRunId(), c.provenance(), c.sharedParams(),
                true, c.objective(), c.earlyStopping(), c.maxEpochs());
    }

    private static ExperimentSpec spec(TrialContext context) {
        return SPECS.computeIfAbsent(context.resolvedSpec(), yaml -> {
            try {
                return SpecLoader.loadString(yaml, Path.of(context.specFile()));
            } catch (SpecException e) {
                throw new IllegalStateException("the driver's resolved spec does not load on this executor (another CineLab version?): "
                        + e.getMessage(), e);
            }
        });
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not delete the segment's scratch folder {}: {}", root, e.getMessage());
        }
    }
}
