package org.cinelab.runner;

import org.cinelab.data.PreparedData;
import org.cinelab.io.AtomicFiles;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.search.EarlyStopping;
import org.cinelab.search.Objective;
import org.cinelab.search.PlanPrinter;
import org.cinelab.search.TrialAction;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.Tracker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains one trial epoch by epoch, logging each epoch and checkpointing after it, asking after
 * every epoch whether to go on (the search loop's scheduler answers), and finishes it (test
 * metrics, history CSV). Every step is idempotent: called again after a crash, it continues from
 * the last checkpoint and does not log an epoch twice. With early stopping a trial may stop before
 * its target, and its best epoch's checkpoint stands for it. {@link #forRefit} derives the runner
 * of {@code search.refit}'s final retraining.
 */
public final class TrialRunner {
    private final ModelFactory factory;
    private final PreparedData data;
    private final Tracker tracker;
    private final StateStore store;
    private final String experimentId;
    private final String parentRunId;
    private final Map<String, String> provenance;
    private final Map<String, String> sharedParams;
    private final boolean resuming;
    private final Objective objective;
    private final BestSoFar bestSoFar;
    /** Null when trials train to their targets. */
    private final EarlyStopping earlyStopping;
    /** The trial this runner retrains on training + validation, or null for the search's trials. */
    private final String refitOf;
    /** Shared with the runner derived {@link #forRefit}, so one Ctrl-C stops both. */
    private final AtomicBoolean stopRequested;

    TrialRunner(ModelFactory factory, PreparedData data, Tracker tracker, StateStore store, String experimentId,
                String parentRunId, Map<String, String> provenance, Map<String, String> sharedParams, boolean resuming,
                Objective objective, EarlyStopping earlyStopping) {
        this(factory, data, tracker, store, experimentId, parentRunId, provenance, sharedParams, resuming, objective,
                earlyStopping, null, new AtomicBoolean());
    }

    private TrialRunner(ModelFactory factory, PreparedData data, Tracker tracker, StateStore store, String experimentId,
                        String parentRunId, Map<String, String> provenance, Map<String, String> sharedParams,
                        boolean resuming, Objective objective, EarlyStopping earlyStopping,
                        String refitOf, AtomicBoolean stopRequested) {
        this.refitOf = refitOf;
        this.stopRequested = stopRequested;
        this.resuming = resuming;
        this.objective = objective;
        this.earlyStopping = earlyStopping;
        this.bestSoFar = new BestSoFar(objective);
        this.factory = factory;
        this.data = data;
        this.tracker = tracker;
        this.store = store;
        this.experimentId = experimentId;
        this.parentRunId = parentRunId;
        this.provenance = provenance;
        this.sharedParams = sharedParams;
    }

    /**
     * The runner of this execution's trials in any process that has the data, the tracker and the
     * state: the driver, or an executor of a cluster that rebuilt them from {@code context}.
     */
    public static TrialRunner of(TrialContext context, ModelFactory factory, PreparedData data, Tracker tracker, StateStore store) {
        return new TrialRunner(factory, data, tracker, store, context.experimentId(), context.parentRunId(), context.provenance(),
                context.sharedParams(), context.resuming(), context.objective(), context.earlyStopping());
    }

    /**
     * The runner that retrains trial {@code refitOf}'s configuration on {@code merged} (training +
     * validation) in the same store and parent run: it evaluates no validation (those rows are
     * trained on) and never stops early; its run is named "refit t017 ..." and tagged
     * {@code cinelab.refit_of}. Resumable like any trial.
     */
    TrialRunner forRefit(PreparedData merged, Map<String, String> provenance, Map<String, String> sharedParams,
                         String refitOf) {
        return new TrialRunner(factory, merged, tracker, store, experimentId, parentRunId, provenance, sharedParams,
                resuming, objective, null, refitOf, stopRequested);
    }

    /**
     * After a crash between creating a trial's run and recording its id, the run exists but the
     * state does not know it: find it by its parent and trial id rather than create a second one.
     */
    private java.util.Optional<String> existingChildRun(String trialId) throws IOException {
        for (var run : tracker.listRuns(experimentId)) {
            Map<String, String> tags = tracker.getTags(run.runId());
            if (parentRunId.equals(tags.get("mlflow.parentRunId")) && trialId.equals(tags.get("cinelab.trial_id"))) {
                return java.util.Optional.of(run.runId());
            }
        }
        return java.util.Optional.empty();
    }

    /** The child run of a trial, created (with params and tags) on first use. */
    TrialState open(Trial trial, Hyperparams hp) throws IOException {
        TrialState s = store.readTrial(trial.id());
        boolean created = false, found = false;
        if (s.runId == null && resuming) {
            s.runId = existingChildRun(trial.id()).orElse(null);
            found = s.runId != null;
        }
        if (s.runId == null) {
            Map<String, String> tags = new LinkedHashMap<>(provenance);
            tags.put("mlflow.parentRunId", parentRunId);
            tags.put("cinelab.trial_id", trial.id());
            tags.put("cinelab.bracket", Integer.toString(trial.bracket()));
            tags.put("cinelab.seed", Long.toString(trial.seed()));
            if (refitOf != null) tags.put("cinelab.refit_of", refitOf);
            s.runId = tracker.createRun(experimentId, name(trial), System.currentTimeMillis(), tags);
            created = true;
        }
        if (created || found) {
            // found: the crash may also have cut its params short; logging the same values again completes them
            tracker.logParams(s.runId, params(trial, hp));
            if (s.status == TrialState.Status.PENDING) s.status = TrialState.Status.RUNNING;
            store.writeTrial(s);
        }
        if (!created && !s.isDone()) tracker.setRunStatus(s.runId, RunStatus.RUNNING, null);
        return s;
    }

    private Map<String, String> params(Trial trial, Hyperparams hp) {
        Map<String, String> params = new LinkedHashMap<>(sharedParams);
        hp.asMap().forEach((k, v) -> params.put(k, org.cinelab.space.Domain.format(v)));
        params.put("trial.id", trial.id());
        params.put("trial.bracket", Integer.toString(trial.bracket()));
        params.put("trial.seed", Long.toString(trial.seed()));
        return params;
    }

    /** The search loop's answer after each epoch: go on, pause, or stop (with the reason to record). */
    public interface EpochHook {
        Verdict afterEpoch(TrialState state);
    }

    /** What happens after an epoch; {@code stopReason} is set with STOP. */
    public record Verdict(TrialAction action, String stopReason) implements java.io.Serializable {
        public static final Verdict CONTINUE = new Verdict(TrialAction.CONTINUE, null);
        public static final Verdict PAUSE = new Verdict(TrialAction.PAUSE, null);

        public static Verdict stop(String reason) { return new Verdict(TrialAction.STOP, reason); }
    }

    /**
     * Trains epoch after epoch while {@code hook} says CONTINUE (at most up to {@code targetEpochs}),
     * then records a pause, or returns the stop verdict for {@link #finish}. A trial already at its
     * target (resumed after a crash right after its last epoch) trains nothing and is asked once.
     * A trial whose training throws or whose loss is not finite comes back FAILED, with the reason.
     *
     * @return the verdict that ended the segment (a FAILED state comes with STOP)
     */
    public Verdict advance(Trial trial, Hyperparams hp, int targetEpochs, EpochHook hook) throws IOException {
        TrialState s = open(trial, hp);
        if (s.isDone()) return Verdict.stop(s.stopReason);
        Verdict verdict = null;
        try {
            if (s.epochsDone >= targetEpochs || s.earlyStopped) {
                verdict = hook.afterEpoch(s);
            } else {
                TrialModel model = restore(trial, hp, s.epochsDone);
                // After a crash between logging an epoch and saving its state, the store has steps the state does not count.
                Map<String, Set<Long>> logged = resuming || s.epochsDone > 0 ? loggedSteps(s.runId) : Map.of();
                for (int epoch = s.epochsDone + 1; epoch <= targetEpochs; epoch++) {
                    if (stopRequested.get()) throw new Stopped();
                    double loss = model.trainEpoch(epoch);
                    if (!Double.isFinite(loss)) throw new TrialFailure("training loss became " + loss + " at epoch " + epoch);
                    Map<String, Double> val = refitOf != null ? Map.of() : model.evaluate(TrialModel.Split.VALIDATION);
                    List<MetricPoint> points = new ArrayList<>();
                    long now = System.currentTimeMillis();
                    addPoint(points, logged, "train_loss", loss, epoch, now);
                    for (Map.Entry<String, Double> m : val.entrySet()) addPoint(points, logged, "val_" + m.getKey(), m.getValue(), epoch, now);
                    tracker.logMetrics(s.runId, points);
                    s.history.add(new TrialState.EpochRecord(epoch, loss, val));
                    s.epochsDone = epoch;
                    if (earlyStopping != null) updateEarlyStopping(s);
                    saveCheckpoint(model, trial.id(), epoch);
                    store.writeTrial(s);
                    store.pruneCheckpoints(trial.id(), epoch, s.modelEpoch());
                    verdict = hook.afterEpoch(s);
                    if (verdict.action() != TrialAction.CONTINUE) break;
                }
                if (verdict == null) verdict = hook.afterEpoch(s);
            }
            if (verdict.action() == TrialAction.PAUSE) {
                s.status = TrialState.Status.PAUSED;
                store.writeTrial(s);
            }
        } catch (Stopped e) {
            throw e;
        } catch (RuntimeException e) {
            if (stopping()) throw new Stopped(); // the shutdown broke it, not the trial: resumable
            fail(s, e);
            return Verdict.stop(s.failure);
        }
        return verdict;
    }

    /** Moves the best epoch and stops the trial once patience runs out (Keras EarlyStopping). */
    private void updateEarlyStopping(TrialState s) {
        double[] values = s.validationSeries(objective.metric());
        s.bestEpoch = earlyStopping.bestEpoch(values, s.epochsDone, objective);
        if (earlyStopping.shouldStop(values, s.epochsDone, objective)) s.earlyStopped = true;
    }

    /** "early stopped at epoch 9 (best epoch 6)". */
    public static String earlyStopReason(TrialState s) {
        return "early stopped at epoch " + s.epochsDone + " (best epoch " + s.bestEpoch + ")";
    }

    /**
     * Test metrics, history CSV, FINISHED status: the trial trains no more. Test metrics and the
     * model come from {@link TrialState#modelEpoch()} (the best epoch with early stopping), and an
     * early-stopped trial gives that as its reason instead of {@code stopReason}.
     */
    public TrialState finish(Trial trial, Hyperparams hp, String stopReason) throws IOException {
        TrialState s = store.readTrial(trial.id());
        if (s.isDone()) return s;
        if (stopRequested.get()) throw new Stopped();
        if (s.earlyStopped) stopReason = earlyStopReason(s);
        try {
            TrialModel model = restore(trial, hp, s.modelEpoch());
            Map<String, Double> test = model.evaluate(TrialModel.Split.TEST);
            List<MetricPoint> points = new ArrayList<>();
            long now = System.currentTimeMillis();
            Map<String, Set<Long>> logged = loggedSteps(s.runId);
            test.forEach((k, v) -> addPoint(points, logged, "test_" + k, v, s.modelEpoch(), now));
            tracker.logMetrics(s.runId, points);
            s.test = new LinkedHashMap<>(test);
            // Export while this model is in memory if it is the best so far: a model whose evaluation
            // is expensive (DEC's clustering) is then not rebuilt again for the final artifact.
            // The refit has no validation to rank by: its model is exported as it is.
            if (refitOf != null || bestSoFar.offer(trial.id(), s.objective(objective.metric()))) exportModel(model, trial.id());
            Path csv = scratchDir(trial.id()).resolve("history.csv");
            Files.writeString(csv, HistoryCsv.format(s));
            tracker.logArtifact(s.runId, "history.csv", csv);
            s.stopReason = stopReason;
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("cinelab.epochs_trained", Integer.toString(s.epochsDone));
            tags.put("cinelab.stop_reason", stopReason);
            tags.put("cinelab.parameter_count", Long.toString(model.parameterCount()));
            tags.putAll(model.tags());
            if (earlyStopping != null) tags.put("cinelab.best_epoch", Integer.toString(s.modelEpoch()));
            tracker.setTags(s.runId, tags);
            // The store first, then the state: a crash in between re-finishes the trial on resume.
            tracker.setRunStatus(s.runId, RunStatus.FINISHED, System.currentTimeMillis());
            s.status = TrialState.Status.FINISHED;
            store.writeTrial(s);
        } catch (Stopped e) {
            throw e;
        } catch (RuntimeException e) {
            // After Ctrl-C the JVM's shutdown breaks what finishing needs (ImageIO's temporary files,
            // new threads): that is a stop, and the trial finishes on --resume, not a failure.
            if (stopping()) throw new Stopped();
            fail(s, e);
        }
        return s;
    }

    /**
     * The best trial's extras: its trained model (rebuilt from the checkpoint) under {@code model/}
     * and its loss curve as a PNG. Only for the best trial: a chart costs ~20 ms to render.
     */
    void logBestTrialArtifacts(Trial trial, Hyperparams hp) throws IOException {
        TrialState s = store.readTrial(trial.id());
        Path modelDir = scratchDir(trial.id()).resolve("model");
        if (!Files.isDirectory(modelDir)) exportModel(restore(trial, hp, s.modelEpoch()), trial.id());
        try (var files = Files.walk(modelDir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                tracker.logArtifact(s.runId, "model/" + modelDir.relativize(f).toString().replace('\\', '/'), f);
            }
        }
        Path png = store.trialDir(trial.id()).resolve("loss_curve.png");
        LossCurve.write(s, name(trial), png);
        tracker.logArtifact(s.runId, "loss_curve.png", png);
    }

    /** Writes the model under the trial's {@code model/} folder, replacing it whole (a crash leaves no half export). */
    private void exportModel(TrialModel model, String trialId) throws IOException {
        Path dir = scratchDir(trialId);
        Path temp = Files.createTempDirectory(dir, ".model-");
        model.exportModel(temp);
        Path target = dir.resolve("model");
        if (Files.exists(target)) StateStore.deleteTree(target);
        Files.move(temp, target);
    }

    /**
     * The best finished trial so far by the objective, ranked as the final summary ranks trials
     * (better value first, then lower trial id), so its model can be exported while in memory.
     */
    static final class BestSoFar {
        private final Objective objective;
        private String trialId;
        private double value = Double.NaN;

        BestSoFar(Objective objective) { this.objective = objective; }

        synchronized boolean offer(String id, double v) {
            if (Double.isNaN(v)) return false;
            boolean better = trialId == null || objective.isBetter(v, value) || (v == value && id.compareTo(trialId) < 0);
            if (better) {
                trialId = id;
                value = v;
            }
            return better;
        }
    }

    /** A trial's local folder for artifacts, created if absent: a remote state storage does not make it. */
    private Path scratchDir(String trialId) throws IOException { return Files.createDirectories(store.trialDir(trialId)); }

    /** The stored state of a trial. */
    public TrialState state(String trialId) throws IOException { return store.readTrial(trialId); }

    /** Ctrl-C asked for a stop, or the JVM is already shutting down (before the hook that asks has run). */
    private boolean stopping() { return stopRequested.get() || Interruption.jvmShuttingDown(); }

    /** Asks every trial to stop at its next epoch boundary (Ctrl-C). */
    public void requestStop() { stopRequested.set(true); }

    /** Marks an interrupted (Ctrl-C) trial KILLED; its checkpoint stays for --resume. */
    void markKilled(TrialState s) {
        try {
            if (s.runId != null && !s.isDone()) tracker.setRunStatus(s.runId, RunStatus.KILLED, System.currentTimeMillis());
        } catch (IOException | RuntimeException ignored) {
            // best effort while the JVM shuts down
        }
    }

    private void fail(TrialState s, Exception e) throws IOException {
        String reason = e instanceof TrialFailure ? e.getMessage() : org.cinelab.io.UserMessages.of(e);
        tracker.setTags(s.runId, Map.of("cinelab.failure", reason, "mlflow.note.content", "FAILED: " + reason));
        tracker.setRunStatus(s.runId, RunStatus.FAILED, System.currentTimeMillis());
        s.status = TrialState.Status.FAILED;
        s.failure = reason;
        store.writeTrial(s);
    }

    /** The model at {@code epoch} (0: untrained), rebuilt from its checkpoint. */
    private TrialModel restore(Trial trial, Hyperparams hp, int epoch) throws IOException {
        TrialModel model = factory.create(hp, data, trial.seed());
        if (epoch > 0) {
            InputStream stored = store.readCheckpoint(trial.id(), epoch).orElseThrow(() -> new IOException(
                    "the checkpoint of " + trial.id() + " after epoch " + epoch + " is missing from " + store.describe()));
            try (InputStream in = stored) {
                model.loadCheckpoint(new DataInputStream(in));
            }
        }
        return model;
    }

    private void saveCheckpoint(TrialModel model, String trialId, int epoch) throws IOException {
        store.writeCheckpoint(trialId, epoch, out -> {
            DataOutputStream d = new DataOutputStream(out);
            model.saveCheckpoint(d);
            d.flush();
        });
    }

    /** Steps already in the store per metric key: after a crash they are not logged again. */
    private Map<String, Set<Long>> loggedSteps(String runId) throws IOException {
        Map<String, Set<Long>> steps = new java.util.HashMap<>();
        for (String key : tracker.getMetricKeys(runId)) {
            Set<Long> set = new HashSet<>();
            for (MetricPoint p : tracker.getMetricHistory(runId, key)) set.add(p.step());
            steps.put(key, set);
        }
        return steps;
    }

    private static void addPoint(List<MetricPoint> points, Map<String, Set<Long>> logged, String key, double v, long step, long now) {
        if (!logged.getOrDefault(key, Set.of()).contains(step)) points.add(new MetricPoint(key, v, step, now));
    }

    private String name(Trial trial) {
        return refitOf == null ? runName(trial) : "refit " + runName(new Trial(refitOf, trial.bracket(), trial.values(), trial.seed()));
    }

    static String runName(Trial trial) {
        return trial.values().isEmpty() ? trial.id() : trial.id() + " " + PlanPrinter.values(trial.values());
    }

    /** Training stopped on request between two epochs; the trial is neither failed nor finished. */
    public static final class Stopped extends RuntimeException {
        public Stopped() { super("stopped on request", null, false, false); }
    }

    /** A trial-level failure with a reason meant for the user (no stack trace). */
    static final class TrialFailure extends RuntimeException {
        TrialFailure(String message) { super(message); }
    }
}
