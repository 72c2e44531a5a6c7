package org.cinelab.runner;

import org.cinelab.data.DatasetProvider;
import org.cinelab.data.sets.DatasetRegistry;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.PreparedData;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.search.Search;
import org.cinelab.search.SearchState;
import org.cinelab.search.TrialRecord;
import org.cinelab.space.Hyperparams;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.Tracker;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Executes a spec: takes the state directory's lock, prepares or resumes the execution, loads the
 * data once, opens the parent run, runs the {@link SearchLoop} on an executor, refits the chosen
 * configuration when asked, and closes the parent with a summary. Every run it opened ends
 * FINISHED, FAILED (a failure that is not a trial's: disk, tracking) or KILLED (Ctrl-C), never
 * RUNNING. Knows nothing about particular models, datasets, samplers or schedulers: they come from
 * the registries through their interfaces.
 */
public final class ExperimentRunner {
    private final ExperimentSpec spec;
    private final Tracker tracker;
    private final RunOptions options;
    private final PrintWriter out;
    private final ModelFactory factory;

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
    }

    /** Thrown when {@code --resume} cannot continue (no state, or a different spec). CLI exit code 2. */
    public static final class ResumeException extends IllegalStateException {
        public ResumeException(String message) { super(message); }
    }

    /** {@code search.refit} asked of data that cannot move its validation rows into training. CLI exit code 2. */
    public static final class RefitUnsupportedException extends IllegalStateException {
        public RefitUnsupportedException(String message) { super(message); }
    }

    /** The state directory or the tracking store cannot be written, found before any run was opened. CLI exit code 2. */
    public static final class UnwritableException extends IllegalStateException {
        public UnwritableException(String message, Throwable cause) { super(message, cause); }
    }

    /** The trial id (and state folder) of {@code search.refit}'s retraining. */
    static final String REFIT_ID = "refit";

    /** The execution stopped on Ctrl-C; its state is resumable. CLI exit code 130. */
    public static final class InterruptedRunException extends RuntimeException {
        public InterruptedRunException() { super("interrupted; resumable with --resume", null, false, false); }
    }

    public ExperimentResult run() throws IOException {
        Search search = Search.of(spec.search(), spec.space(), spec.seed(), spec.objective());
        StateStore store = options.stateStorage() == null ? new StateStore(options.stateDir())
                : new StateStore(options.stateStorage(), options.stateDir());
        ExecutionLock held;
        try {
            held = ExecutionLock.acquire(options.stateDir(), "cinelab run " + spec.file());
        } catch (IOException e) {
            throw new UnwritableException("cannot use the state directory " + options.stateDir().toAbsolutePath() + ": "
                    + org.cinelab.io.IoErrors.describe(e) + "; give a writable one with --state-dir", e);
        }
        try (ExecutionLock lock = held) {
            if (lock.previousOwner() != null) {
                out.printf("Note: took over the lock of %s left by a process that is gone (%s)%n", store.dir(), lock.previousOwner());
            }
            return run(search, store);
        }
    }

    private ExperimentResult run(Search search, StateStore store) throws IOException {
        ResumeCoordinator resume = new ResumeCoordinator(spec, options, store);
        StateStore.ExperimentState state = resume.prepare();
        DatasetProvider provider = DatasetRegistry.find(spec.dataset().name()).orElseThrow();
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
        resume.checkSameData(state, data);
        Map<String, String> provenance = Provenance.tags(spec, data, options.parallel());
        ParentRun parent = new ParentRun(spec, tracker, store);
        if (state.parentRunId == null) {
            state.dataSha256 = data.dataSha256();
            try {
                parent.start(state, data, provenance);
            } catch (IOException e) {
                if (state.parentRunId != null) throw e;
                throw new UnwritableException("cannot log to " + tracker.location() + ": " + org.cinelab.io.IoErrors.describe(e)
                        + "; nothing was logged", e);
            }
        }
        else if (!state.finished) {
            tracker.setRunStatus(state.parentRunId, RunStatus.RUNNING, null);
            reconcileInterruptedRuns(store);
        }

        SearchState searchState = resume.rebuild(search);
        var budget = search.scheduler().budget();
        out.printf("Experiment '%s' (id %s), parent run %s, %s%d trials, %s epochs planned; tracking: %s%n",
                ParentRun.experimentName(spec), state.experimentId, state.parentRunId,
                search.scheduler().brackets().isEmpty() ? "up to " : "", search.scheduler().maxTrials(),
                budget.exact() ? Long.toString(budget.maxEpochs()) : budget.minEpochs() + "-" + budget.maxEpochs(),
                tracker.describe());
        TrialContext context = new TrialContext(spec.resolvedYaml(), spec.file().toString(), state.experimentId, state.parentRunId,
                provenance, ParentRun.sharedParams(spec, data), options.resume(), spec.objective(), spec.search().earlyStopping(),
                search.scheduler().maxEpochs());
        TrialRunner trials = TrialRunner.of(context, factory, data, tracker, store);
        TrialExecutor executor = options.executor().create(context, trials, this::hyperparams, options.parallel());
        Interruption interruption = new Interruption(executor::requestStop, TimeUnit.SECONDS.toMillis(Interruption.GRACE_SECONDS), () -> {
            closeOpenRuns(store, state, RunStatus.KILLED, null);
            System.err.printf("%nInterrupted: a trial was still finishing after %d s; open runs marked KILLED. Continue with:%n  %s%n",
                    Interruption.GRACE_SECONDS, resumeCommand());
        });
        Runtime.getRuntime().addShutdownHook(interruption.hook);
        try {
            double idle = Double.NaN;
            if (!state.finished) {
                Progress progress = new Progress(out, searchState, search.scheduler(), Progress.stdoutIsTerminal());
                SearchLoop loop = new SearchLoop(search, searchState, executor, store, progress);
                try {
                    loop.run();
                } finally {
                    progress.close();
                }
                idle = loop.idleFraction();
                if (options.parallel() > 1) out.printf(java.util.Locale.ROOT, "Workers idle %.1f%% of the time%n", 100 * idle);
            }
            ExperimentResult result = summarize(searchState, store, state, idle);
            TrialState refit = spec.search().refit() && result.best() != null
                    ? refit(result.best(), data, provenance, trials, store) : null;
            if (!state.finished) {
                if (result.best() != null) {
                    TrialRecord best = searchState.get(result.best().trialId());
                    trials.logBestTrialArtifacts(Trial.of(best), hyperparams(Trial.of(best)));
                }
                parent.finish(state, result, store.readTrials().stream().filter(t -> !REFIT_ID.equals(t.trialId)).toList(),
                        refit, budget.maxEpochs(), out);
                if (!options.keepCheckpoints()) {
                    long freed = store.pruneFinished();
                    if (freed > 0) {
                        out.printf(java.util.Locale.ROOT, "Removed the execution's checkpoints (%.1f MB) from %s; --keep-checkpoints keeps them.%n",
                                freed / 1e6, store.describe());
                    }
                }
            }
            return result;
        } catch (TrialRunner.Stopped e) {
            throw interrupted(store, state);
        } catch (IOException | RuntimeException e) {
            // After Ctrl-C the shutdown itself breaks logging and artifacts: a stop, resumable, not a failure.
            if (interruption.fired()) throw interrupted(store, state);
            closeOpenRuns(store, state, RunStatus.FAILED, e.getMessage());
            throw e;
        } catch (Error e) {
            closeOpenRuns(store, state, RunStatus.FAILED, String.valueOf(e));
            throw new IOException("execution failed: " + e, e);
        } finally {
            interruption.done();
            executor.close();
            try {
                Runtime.getRuntime().removeShutdownHook(interruption.hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
    }

    /** Closes the open runs KILLED after Ctrl-C and says how to continue. */
    private InterruptedRunException interrupted(StateStore store, StateStore.ExperimentState state) {
        closeOpenRuns(store, state, RunStatus.KILLED, null);
        System.err.printf("%nInterrupted: running trials marked KILLED. Continue with:%n  %s%n", resumeCommand());
        return new InterruptedRunException();
    }

    private Hyperparams hyperparams(Trial t) {
        return Hyperparams.resolve(factory.hyperParameters(), spec.model().params(), t.values());
    }

    /**
     * {@code search.refit}: the best trial's configuration (same values and seed) trained again on
     * training + validation for the epochs it was chosen at, in its own child run; a crash during
     * it resumes it like a trial.
     */
    private TrialState refit(ExperimentResult.TrialSummary best, PreparedData data, Map<String, String> provenance,
                             TrialRunner trials, StateStore store) throws IOException {
        PreparedData merged = data.withValidationInTraining().orElseThrow();
        Map<String, String> tags = new LinkedHashMap<>(provenance);
        tags.put("cinelab.split_id", merged.splitId());
        tags.put("cinelab.dataset_sha256", merged.dataSha256());
        TrialRunner refitRunner = trials.forRefit(merged, tags, ParentRun.sharedParams(spec, merged), best.trialId());
        TrialState chosen = store.readTrial(best.trialId());
        Trial refit = new Trial(REFIT_ID, chosen.bracket, Trial.of(chosen).values(), chosen.seed);
        Hyperparams hp = hyperparams(refit);
        int epochs = chosen.modelEpoch();
        out.printf("Refit of %s on training + validation for %d epoch(s)%n", best.trialId(), epochs);
        refitRunner.advance(refit, hp, epochs, s -> s.epochsDone < epochs ? TrialRunner.Verdict.CONTINUE
                : TrialRunner.Verdict.stop("refit"));
        TrialState s = refitRunner.finish(refit, hp, "refit of " + best.trialId() + " for " + epochs + " epochs on training + validation");
        if (s.status == TrialState.Status.FINISHED) refitRunner.logBestTrialArtifacts(refit, hp);
        return s;
    }

    private ExperimentResult summarize(SearchState search, StateStore store, StateStore.ExperimentState state,
                                       double idleFraction) throws IOException {
        String metric = spec.objective().metric();
        List<ExperimentResult.TrialSummary> rows = new ArrayList<>();
        for (TrialRecord r : search.records()) {
            TrialState s = store.readTrial(r.id());
            String note = s.status == TrialState.Status.FAILED ? s.failure : s.stopReason;
            rows.add(new ExperimentResult.TrialSummary(r.id(), s.runId, TrialRunner.runName(Trial.of(r)), r.values(), s.status,
                    s.epochsDone, s.objective(metric), s.test, note));
        }
        Comparator<ExperimentResult.TrialSummary> order = Comparator
                .comparing((ExperimentResult.TrialSummary r) -> r.status() != TrialState.Status.FINISHED)
                .thenComparing(spec.objective().ranking(ExperimentResult.TrialSummary::objective, ExperimentResult.TrialSummary::trialId));
        rows.sort(order);
        ExperimentResult.TrialSummary best = rows.isEmpty() || rows.get(0).status() != TrialState.Status.FINISHED
                || Double.isNaN(rows.get(0).objective()) ? null : rows.get(0);
        return new ExperimentResult(state.experimentId, state.parentRunId, rows, best, idleFraction);
    }

    /**
     * Ends every run this execution opened that is still RUNNING (trials training or paused, the
     * refit, the parent) with {@code status}: KILLED after Ctrl-C, FAILED after an error that is
     * not a trial's, with the reason on the parent. Best effort: the store may be what failed.
     */
    private void closeOpenRuns(StateStore store, StateStore.ExperimentState state, RunStatus status, String reason) {
        long now = System.currentTimeMillis();
        if (status == RunStatus.FAILED) tracker.releaseReserve();
        java.util.Set<String> open = new java.util.LinkedHashSet<>();
        try {
            for (TrialState t : store.readTrials()) if (t.runId != null && !t.isDone()) open.add(t.runId);
        } catch (IOException | RuntimeException ignored) {
            // the state directory itself is unreadable: the store's own list below still finds the runs
        }
        // A run created just before the failure may not be in its trial's state yet: ask the store too.
        if (state.parentRunId != null) {
            try {
                for (var run : tracker.listRuns(state.experimentId)) {
                    if (run.status() == RunStatus.RUNNING
                            && state.parentRunId.equals(tracker.getTags(run.runId()).get("mlflow.parentRunId"))) {
                        open.add(run.runId());
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
        }
        for (String runId : open) end(runId, status, reason == null ? null : "execution failed: " + reason, now);
        if (state.parentRunId != null && !state.finished) end(state.parentRunId, status, reason, now);
    }

    /**
     * A trial whose segment ended just after Ctrl-C marked its run KILLED (a Spark task does not stop at
     * once) has a finished state and a KILLED run; its state is the truth, and nothing trains it again.
     */
    private void reconcileInterruptedRuns(StateStore store) throws IOException {
        for (TrialState t : store.readTrials()) {
            if (t.runId == null || !t.isDone()) continue;
            RunInfo run = tracker.getRun(t.runId).orElse(null);
            if (run == null || run.status() != RunStatus.KILLED) continue;
            RunStatus ended = t.status == TrialState.Status.FAILED ? RunStatus.FAILED : RunStatus.FINISHED;
            tracker.setRunStatus(t.runId, ended, run.endTimeMs() != null ? run.endTimeMs() : System.currentTimeMillis());
        }
    }

    /** Ends one run with {@code status} (and the failure as a tag); best effort, the store may be what failed. */
    private void end(String runId, RunStatus status, String failure, long now) {
        if (failure != null) {
            try {
                tracker.setTags(runId, Map.of("cinelab.failure", failure));
            } catch (IOException | RuntimeException ignored) {
                // the status matters more than the tag
            }
        }
        try {
            tracker.setRunStatus(runId, status, now);
        } catch (IOException | RuntimeException ignored) {
            // best effort: keep closing the others
        }
    }

    /** The command that continues this execution, with every option that matters. */
    String resumeCommand() {
        StringBuilder sb = new StringBuilder("cinelab run ").append(spec.file()).append(" --resume --seed ").append(spec.seed());
        for (String o : spec.overrides()) sb.append(" --set '").append(o).append('\'');
        if (options.trackingUri() != null) sb.append(" --tracking-uri ").append(options.trackingUri());
        if (options.dataDir() != null) sb.append(" --data-dir ").append(options.dataDir());
        sb.append(" --state-dir ").append(options.stateLocation());
        sb.append(options.executor().cliOptions());
        if (options.parallel() > 1) sb.append(" --parallel ").append(options.parallel());
        return sb.toString();
    }
}
