package org.cinelab.runner;

import org.cinelab.data.DatasetProvider;
import org.cinelab.data.DatasetRegistry;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.PreparedData;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.ModelRegistry;
import org.cinelab.charts.Charts;
import org.cinelab.search.Bracket;
import org.cinelab.search.Plan;
import org.cinelab.search.Planner;
import org.cinelab.search.Promotion;
import org.cinelab.search.Rung;
import org.cinelab.search.TrialConfig;
import org.cinelab.search.TrialOutcome;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.Tracker;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Executes a spec's plan: loads the data once, opens one parent run, trains each bracket rung by
 * rung (trials of a rung in parallel), lets the scheduler's promotion rule pick who continues,
 * and finishes with the best trial's model and a summary. Knows nothing about particular models
 * or datasets: they come from the registries through their interfaces.
 */
public final class ExperimentRunner {
    private final ExperimentSpec spec;
    private final Tracker tracker;
    private final RunOptions options;
    private final PrintWriter out;
    private final ModelFactory factory;
    private final Set<TrialState> inFlight = ConcurrentHashMap.newKeySet();
    private final EarlyStopper earlyStopper;

    public ExperimentRunner(ExperimentSpec spec, Tracker tracker, RunOptions options) {
        this(spec, tracker, options, ModelRegistry.find(spec.model().type()).orElseThrow());
    }

    /** With an explicit model, for tests that inject failing models. */
    ExperimentRunner(ExperimentSpec spec, Tracker tracker, RunOptions options, ModelFactory factory) {
        this.factory = factory;
        this.spec = spec;
        this.tracker = tracker;
        this.options = options;
        this.out = options.out();
        this.earlyStopper = new EarlyStopper(spec.search().earlyStopping(), spec.objective());
    }

    /** Thrown when {@code --resume} cannot continue (no state, or a different spec). CLI exit code 2. */
    public static final class ResumeException extends IllegalStateException {
        public ResumeException(String message) { super(message); }
    }

    /** {@code search.refit} asked of data that cannot move its validation rows into training. CLI exit code 2. */
    public static final class RefitUnsupportedException extends IllegalStateException {
        public RefitUnsupportedException(String message) { super(message); }
    }

    /** The trial id (and state folder) of {@code search.refit}'s retraining. */
    static final String REFIT_ID = "refit";

    /** The execution stopped on Ctrl-C; its state is resumable. CLI exit code 130. */
    public static final class InterruptedRunException extends RuntimeException {
        public InterruptedRunException() { super("interrupted; resumable with --resume", null, false, false); }
    }

    public ExperimentResult run() throws IOException {
        Plan plan = Planner.plan(spec);
        DatasetProvider provider = DatasetRegistry.find(spec.dataset().name()).orElseThrow();
        StateStore store = new StateStore(options.stateDir());
        StateStore.ExperimentState state = prepareState(store);

        out.printf("Loading %s (split %s) from %s%n", provider.name(), spec.dataset().split(), options.dataDir());
        PreparedData data = provider.load(new DatasetRequest(spec.dataset().split(), spec.dataset().options(),
                spec.seed(), options.dataDir(), out::println));
        // Checked before anything trains; the merged copy is built again after the search rather
        // than held through it.
        if (spec.search().refit() && data.withValidationInTraining().isEmpty()) {
            throw new RefitUnsupportedException(spec.file() + ": search.refit: true, but dataset " + provider.name()
                    + " gives " + data.getClass().getSimpleName() + ", which cannot move its validation rows into"
                    + " training; remove search.refit or use a ratings dataset");
        }
        Map<String, String> provenance = Provenance.tags(spec, data, options.parallel());
        Map<String, String> shared = sharedParams(data);
        if (state.parentRunId == null) startParent(store, state, data, provenance, shared);
        else tracker.setRunStatus(state.parentRunId, RunStatus.RUNNING, null);

        out.printf("Experiment '%s' (id %s), parent run %s, %d trials, %d epochs planned; tracking: %s%n",
                experimentName(), state.experimentId, state.parentRunId, plan.trials().size(), plan.totalEpochs(),
                tracker.describe());
        TrialRunner trials = new TrialRunner(factory, data, tracker, store, state.experimentId, state.parentRunId,
                provenance, shared, options.resume(), spec.objective(), earlyStopper);
        Thread hook = new Thread(() -> onInterrupt(plan, trials, state), "cinelab-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        ExecutorService pool = Executors.newFixedThreadPool(options.parallel(), r -> {
            Thread t = new Thread(r, "cinelab-trial");
            t.setDaemon(true);
            return t;
        });
        try {
            Progress progress = new Progress(out, spec.objective(), earlyStopper);
            for (Bracket bracket : plan.brackets()) runBracket(bracket, trials, pool, progress);
            ExperimentResult result = summarize(plan, store, state);
            TrialState refit = spec.search().refit() && result.best() != null
                    ? refit(plan, result.best(), data, provenance, trials, store, pool) : null;
            finishParent(plan, trials, store, state, result, refit);
            return result;
        } finally {
            pool.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
    }

    private StateStore.ExperimentState prepareState(StateStore store) throws IOException {
        StateStore.ExperimentState previous = store.readExperiment();
        if (options.resume()) {
            if (previous == null) {
                throw new ResumeException("nothing to resume: no state in " + store.dir() + " (run without --resume to start)");
            }
            if (!spec.sha256().equals(previous.specSha256) || spec.seed() != previous.seed) {
                throw new ResumeException("cannot resume: " + spec.file() + " changed since the interrupted execution"
                        + " (spec sha256 " + shortSha(spec.sha256()) + " seed " + spec.seed() + ", state has "
                        + shortSha(previous.specSha256) + " seed " + previous.seed
                        + "); run without --resume to start a new execution");
            }
            out.printf("Resuming parent run %s from %s%n", previous.parentRunId, store.dir());
            return previous;
        }
        if (previous != null && !previous.finished) {
            out.printf("Note: an interrupted execution (parent run %s) is left as it was; starting a new one."
                    + " Use --resume to continue an interrupted execution instead.%n", previous.parentRunId);
        }
        store.clear();
        StateStore.ExperimentState fresh = new StateStore.ExperimentState();
        fresh.specSha256 = spec.sha256();
        fresh.seed = spec.seed();
        fresh.trackingUri = tracker.describe();
        return fresh;
    }

    private void startParent(StateStore store, StateStore.ExperimentState state, PreparedData data,
                             Map<String, String> provenance, Map<String, String> shared) throws IOException {
        Map<String, String> expTags = new LinkedHashMap<>();
        if (spec.description() != null && !spec.description().isBlank()) expTags.put("mlflow.note.content", spec.description());
        state.experimentId = tracker.getOrCreateExperiment(experimentName(), expTags);
        Map<String, String> tags = new LinkedHashMap<>(provenance);
        if (spec.description() != null && !spec.description().isBlank()) tags.put("mlflow.note.content", spec.description());
        tags.put("cinelab.role", "parent");
        state.parentRunId = tracker.createRun(state.experimentId, spec.name() + " " + schedulerName(),
                System.currentTimeMillis(), tags);
        store.writeExperiment(state);
        Map<String, String> params = new LinkedHashMap<>(shared);
        var s = spec.search();
        params.put("search.sampler", s.sampler().name().toLowerCase());
        if (s.trials() != null) params.put("search.trials", s.trials().toString());
        params.put("search.scheduler", schedulerName());
        params.put("search.max_epochs", Integer.toString(s.maxEpochs()));
        params.put("search.eta", Integer.toString(s.eta()));
        params.put("search.min_epochs", Integer.toString(s.minEpochs()));
        if (s.earlyStopping() != null) {
            params.put("search.early_stopping.patience", Integer.toString(s.earlyStopping().patience()));
            params.put("search.early_stopping.min_delta", Double.toString(s.earlyStopping().minDelta()));
        }
        params.put("search.refit", Boolean.toString(s.refit()));
        params.put("objective.metric", spec.objective().metric());
        params.put("objective.mode", spec.objective().mode().name().toLowerCase());
        spec.space().forEach((k, d) -> params.put("space." + k, d.toString()));
        tracker.logParams(state.parentRunId, params);
        Path specFile = store.dir().resolve("spec.yaml");
        Files.writeString(specFile, spec.resolvedYaml(), StandardCharsets.UTF_8);
        tracker.logArtifact(state.parentRunId, "spec.yaml", specFile);
        for (Map.Entry<String, Path> a : data.artifacts().entrySet()) {
            tracker.logArtifact(state.parentRunId, "data/" + a.getKey(), a.getValue());
        }
    }

    /** Params every child shares with the parent: seed, model type and fixed settings, data and split. */
    private Map<String, String> sharedParams(PreparedData data) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("seed", Long.toString(spec.seed()));
        p.put("model.type", spec.model().type());
        spec.model().params().forEach((k, v) -> p.put("model." + k, String.valueOf(v)));
        p.putAll(data.params());
        return p;
    }

    private void runBracket(Bracket bracket, TrialRunner trials, ExecutorService pool, Progress progress) throws IOException {
        List<TrialConfig> active = bracket.trials();
        List<Rung> rungs = bracket.rungs();
        for (int i = 0; i < rungs.size(); i++) {
            Rung rung = rungs.get(i);
            if (rungs.size() > 1) {
                out.printf("Bracket s=%d, rung %d: %d trial(s) to %d epoch(s)%n", bracket.s(), i, active.size(), rung.epochs());
            }
            Map<String, TrialState> states = parallel(pool, active, t -> {
                TrialState s = trials.advance(t, hyperparams(t), rung.epochs());
                progress.report(t, s, rung.epochs());
                return s;
            });
            boolean last = i == rungs.size() - 1;
            Set<String> promoted = new HashSet<>();
            if (!last) {
                List<TrialOutcome> outcomes = new ArrayList<>();
                for (TrialConfig t : active) {
                    TrialState s = states.get(t.id());
                    outcomes.add(new TrialOutcome(t.id(), earlyStopper.rungValue(s, rung.epochs()),
                            s.status == TrialState.Status.FAILED));
                }
                promoted.addAll(Promotion.survivors(outcomes, rungs.get(i + 1).configs(), spec.objective().mode()));
                // An early-stopped trial competes with its best value, but a slot it wins does not
                // train it again: it finishes here (its own stop reason), with fewer epochs than the rung.
                for (TrialConfig t : active) {
                    TrialState s = states.get(t.id());
                    if (s.earlyStopped && s.epochsDone <= rung.epochs()) promoted.remove(t.id());
                }
            }
            String reason = last ? "completed " + rung.epochs() + " epochs"
                    : "stopped by " + schedulerName() + " at rung " + i + " (" + rung.epochs() + " epochs)";
            List<TrialConfig> stopping = active.stream().filter(t -> !promoted.contains(t.id())).toList();
            parallel(pool, stopping, t -> trials.finish(t, hyperparams(t), reason));
            active = active.stream().filter(t -> promoted.contains(t.id())).toList();
        }
    }

    private interface TrialTask { TrialState apply(TrialConfig t) throws IOException; }

    /** Runs a task for every trial on the pool; tracking or I/O errors abort the experiment. */
    private Map<String, TrialState> parallel(ExecutorService pool, List<TrialConfig> configs, TrialTask task) throws IOException {
        Map<String, Future<TrialState>> futures = new LinkedHashMap<>();
        for (TrialConfig t : configs) {
            futures.put(t.id(), pool.submit(() -> {
                TrialState current = new TrialState();
                current.trialId = t.id();
                inFlight.add(current);
                try {
                    return task.apply(t);
                } finally {
                    inFlight.remove(current);
                }
            }));
        }
        Map<String, TrialState> results = new LinkedHashMap<>();
        for (var e : futures.entrySet()) {
            try {
                results.put(e.getKey(), e.getValue().get());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", ex);
            } catch (ExecutionException ex) {
                Throwable cause = ex.getCause();
                if (cause instanceof TrialRunner.Stopped) throw new InterruptedRunException();
                if (cause instanceof IOException io) throw io;
                if (cause instanceof RuntimeException re) throw re;
                throw new IOException(cause);
            }
        }
        return results;
    }

    private Hyperparams hyperparams(TrialConfig t) {
        return Hyperparams.resolve(factory.hyperParameters(), spec.model().params(), t.values());
    }

    /**
     * {@code search.refit}: the best trial's configuration (same values and seed) trained again on
     * training + validation for the epochs it was chosen at, in its own child run; a crash during
     * it resumes it like a trial.
     */
    private TrialState refit(Plan plan, ExperimentResult.TrialSummary best, PreparedData data,
                             Map<String, String> provenance, TrialRunner trials, StateStore store,
                             ExecutorService pool) throws IOException {
        PreparedData merged = data.withValidationInTraining().orElseThrow();
        Map<String, String> tags = new LinkedHashMap<>(provenance);
        tags.put("cinelab.split_id", merged.splitId());
        tags.put("cinelab.dataset_sha256", merged.dataSha256());
        TrialRunner refitRunner = trials.forRefit(merged, tags, sharedParams(merged), best.trialId());
        TrialConfig chosen = config(plan, best.trialId());
        TrialConfig refit = new TrialConfig(REFIT_ID, chosen.bracket(), chosen.values(), chosen.seed());
        Hyperparams hp = hyperparams(refit);
        int epochs = store.readTrial(best.trialId()).modelEpoch();
        out.printf("Refit of %s on training + validation for %d epoch(s)%n", best.trialId(), epochs);
        TrialState s = parallel(pool, List.of(refit), t -> {
            refitRunner.advance(t, hp, epochs);
            return refitRunner.finish(t, hp, "refit of " + best.trialId() + " for " + epochs + " epochs on training + validation");
        }).get(REFIT_ID);
        if (s.status == TrialState.Status.FINISHED) refitRunner.logBestTrialArtifacts(refit, hp);
        return s;
    }

    private static TrialConfig config(Plan plan, String trialId) {
        return plan.trials().stream().filter(t -> t.id().equals(trialId)).findFirst().orElseThrow();
    }

    private ExperimentResult summarize(Plan plan, StateStore store, StateStore.ExperimentState state) throws IOException {
        String metric = spec.objective().metric();
        List<ExperimentResult.TrialSummary> rows = new ArrayList<>();
        for (TrialConfig t : plan.trials()) {
            TrialState s = store.readTrial(t.id());
            String note = s.status == TrialState.Status.FAILED ? s.failure : s.stopReason;
            rows.add(new ExperimentResult.TrialSummary(t.id(), s.runId, TrialRunner.runName(t), s.status, s.epochsDone,
                    s.objective(metric), s.test, note));
        }
        Comparator<Double> byObjective = spec.objective().mode() == ExperimentSpec.Mode.MIN
                ? Comparator.naturalOrder() : Comparator.reverseOrder();
        Comparator<ExperimentResult.TrialSummary> order = Comparator
                .comparing((ExperimentResult.TrialSummary r) -> r.status() != TrialState.Status.FINISHED || Double.isNaN(r.objective()))
                .thenComparing(ExperimentResult.TrialSummary::objective, byObjective)
                .thenComparing(ExperimentResult.TrialSummary::trialId);
        rows.sort(order);
        ExperimentResult.TrialSummary best = rows.isEmpty() || rows.get(0).status() != TrialState.Status.FINISHED
                || Double.isNaN(rows.get(0).objective()) ? null : rows.get(0);
        return new ExperimentResult(state.experimentId, state.parentRunId, rows, best);
    }

    /** @param refit the state of {@code search.refit}'s run, or null when there was none */
    private void finishParent(Plan plan, TrialRunner trials, StateStore store, StateStore.ExperimentState state,
                              ExperimentResult result, TrialState refit) throws IOException {
        String metric = spec.objective().metric();
        Path summaryCsv = store.dir().resolve("trials.csv");
        Files.writeString(summaryCsv, SummaryTable.csv(result, metric), StandardCharsets.UTF_8);
        tracker.logArtifact(state.parentRunId, "trials.csv", summaryCsv);
        Path curves = store.dir().resolve("learning_curves.png");
        Charts.lines(spec.name() + ": validation " + metric + " per trial", "epoch", "val_" + metric,
                learningCurves(plan, store, metric), curves);
        tracker.logArtifact(state.parentRunId, "learning_curves.png", curves);
        Map<String, String> tags = new LinkedHashMap<>();
        if (result.best() != null) {
            var best = result.best();
            List<MetricPoint> points = new ArrayList<>();
            long now = System.currentTimeMillis();
            points.add(new MetricPoint("best_val_" + metric, best.objective(), 0, now));
            best.test().forEach((k, v) -> points.add(new MetricPoint("best_test_" + k, v, 0, now)));
            if (tracker.getMetricHistory(state.parentRunId, "best_val_" + metric).isEmpty()) {
                tracker.logMetrics(state.parentRunId, points);
            }
            tags.put("cinelab.best_trial", best.trialId());
            tags.put("cinelab.best_run_id", best.runId());
            TrialConfig bestConfig = config(plan, best.trialId());
            trials.logBestTrialArtifacts(bestConfig, hyperparams(bestConfig));
        }
        if (refit != null) {
            tags.put("cinelab.refit_run_id", refit.runId);
            if (refit.status == TrialState.Status.FINISHED && !refit.test.isEmpty()
                    && tracker.getMetricHistory(state.parentRunId, "refit_test_" + refit.test.keySet().iterator().next()).isEmpty()) {
                long now = System.currentTimeMillis();
                List<MetricPoint> points = new ArrayList<>();
                refit.test.forEach((k, v) -> points.add(new MetricPoint("refit_test_" + k, v, 0, now)));
                tracker.logMetrics(state.parentRunId, points);
            }
        }
        long failed = result.trials().stream().filter(r -> r.status() == TrialState.Status.FAILED).count();
        tags.put("cinelab.trials", Integer.toString(result.trials().size()));
        tags.put("cinelab.trials_failed", Long.toString(failed));
        tags.put("cinelab.epochs_planned", Long.toString(plan.totalEpochs()));
        tracker.setTags(state.parentRunId, tags);
        tracker.setRunStatus(state.parentRunId, RunStatus.FINISHED, System.currentTimeMillis());
        state.finished = true;
        store.writeExperiment(state);
        out.print(SummaryTable.text(result, metric));
        if (refit != null) out.println(refitLine(result.best().trialId(), refit));
    }

    /** {@code Refit of t017 on training + validation (23 epochs): test_rmse=0.9123 test_mae=0.7190}. */
    private static String refitLine(String trialId, TrialState refit) {
        if (refit.status != TrialState.Status.FINISHED) return "Refit of " + trialId + " failed: " + refit.failure;
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                "Refit of %s on training + validation (%d epochs):", trialId, refit.epochsDone));
        refit.test.forEach((k, v) -> sb.append(String.format(java.util.Locale.ROOT, " test_%s=%.4f", k, v)));
        return sb.toString();
    }

    private static Map<String, double[][]> learningCurves(Plan plan, StateStore store, String metric) throws IOException {
        Map<String, double[][]> curves = new LinkedHashMap<>();
        for (TrialConfig t : plan.trials()) {
            TrialState s = store.readTrial(t.id());
            double[][] points = new double[s.history.size()][];
            for (int i = 0; i < points.length; i++) {
                var r = s.history.get(i);
                points[i] = new double[] {r.epoch, r.validation.getOrDefault(metric, Double.NaN)};
            }
            curves.put(t.id(), points);
        }
        return curves;
    }

    /**
     * Ctrl-C (SIGINT/SIGTERM): trials stop at their next epoch boundary, then those that were
     * running and the parent become KILLED; checkpoints stay for --resume.
     */
    private void onInterrupt(Plan plan, TrialRunner trials, StateStore.ExperimentState state) {
        if (state.finished) return;
        trials.requestStop();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                break;
            }
        }
        // Every started trial (and the refit) that is not done is RUNNING in MLflow (training, or
        // paused between rungs): all of them become KILLED.
        StateStore store = new StateStore(options.stateDir());
        List<String> ids = new ArrayList<>(plan.trials().stream().map(TrialConfig::id).toList());
        ids.add(REFIT_ID);
        for (String id : ids) {
            try {
                trials.markKilled(store.readTrial(id));
            } catch (IOException ignored) {
                // best effort while shutting down
            }
        }
        try {
            if (state.parentRunId != null) tracker.setRunStatus(state.parentRunId, RunStatus.KILLED, System.currentTimeMillis());
        } catch (IOException | RuntimeException ignored) {
            // best effort while shutting down
        }
        System.err.printf("%nInterrupted: running trials marked KILLED. Continue with: cinelab run %s --resume%n", spec.file());
    }

    private String experimentName() {
        return spec.tracking().experiment() != null ? spec.tracking().experiment() : spec.name();
    }

    private String schedulerName() {
        return spec.search().scheduler().name().toLowerCase().replace('_', '-');
    }

    private static String shortSha(String sha) { return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length())); }
}
