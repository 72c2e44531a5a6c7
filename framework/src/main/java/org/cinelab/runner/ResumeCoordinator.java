package org.cinelab.runner;

import org.cinelab.data.PreparedData;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.search.Search;
import org.cinelab.search.SearchState;
import org.cinelab.space.Domain;
import org.cinelab.spec.ExperimentSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * Owns what {@code --resume} needs: whether the state directory holds an execution to continue
 * (same spec bytes, overrides and seed), the options it ran with, and the search rebuilt from the
 * trials' stored states, whose sampled values are read back, never drawn again. A fresh start
 * clears the directory (its lock stays). The design, with what a SIGKILL at each point leaves and
 * how it is recovered, is in docs/resume.md.
 */
final class ResumeCoordinator {
    private final ExperimentSpec spec;
    private final RunOptions options;
    private final StateStore store;
    private final PrintWriter out;

    ResumeCoordinator(ExperimentSpec spec, RunOptions options, StateStore store) {
        this.spec = spec;
        this.options = options;
        this.store = store;
        this.out = options.out();
    }

    /** Thrown when {@code --resume} cannot continue (no state, another spec, an older layout). CLI exit code 2. */
    static ExperimentRunner.ResumeException refuse(String message) { return new ExperimentRunner.ResumeException(message); }

    /** The execution's identity: the stored one with {@code --resume}, else a fresh one (the directory cleared). */
    StateStore.ExperimentState prepare() throws IOException {
        StateStore.ExperimentState previous = store.readExperiment();
        if (options.resume()) {
            if (previous == null) {
                throw refuse("nothing to resume: no state in " + store.describe() + " (run without --resume to start)");
            }
            if (previous.layout != StateStore.ExperimentState.LAYOUT) {
                throw refuse("cannot resume: the state in " + store.describe() + " was written by an older CineLab;"
                        + " run without --resume to start a new execution");
            }
            if (!spec.sha256().equals(previous.specSha256) || spec.seed() != previous.seed
                    || !spec.overrides().equals(previous.overrides)) {
                throw refuse("cannot resume: " + spec.file() + " changed since the interrupted execution"
                        + " (spec sha256 " + shortSha(spec.sha256()) + " seed " + spec.seed() + overrides(spec.overrides())
                        + ", state has " + shortSha(previous.specSha256) + " seed " + previous.seed + overrides(previous.overrides)
                        + "); run without --resume to start a new execution");
            }
            if (previous.finished) out.printf("Execution in %s already finished; nothing to train.%n", store.describe());
            else out.printf("Resuming parent run %s from %s%n", previous.parentRunId, store.describe());
            return previous;
        }
        if (previous != null && !previous.finished) {
            out.printf("Note: an interrupted execution (parent run %s) is left as it was; starting a new one."
                    + " Use --resume to continue an interrupted execution instead.%n", previous.parentRunId);
        }
        store.clear();
        StateStore.ExperimentState fresh = new StateStore.ExperimentState();
        fresh.layout = StateStore.ExperimentState.LAYOUT;
        fresh.specFile = spec.file().toString();
        fresh.specSha256 = spec.sha256();
        fresh.overrides = new java.util.ArrayList<>(spec.overrides());
        fresh.seed = spec.seed();
        fresh.trackingUri = options.trackingUri() != null ? options.trackingUri() : null;
        fresh.dataDir = options.dataDir() == null ? null : options.dataDir().toAbsolutePath().toString();
        fresh.parallel = options.parallel();
        fresh.blasThreads = Nd4jRuntime.blasThreads();
        return fresh;
    }

    /**
     * Refuses to continue an execution on other data than it started with: its remaining trials
     * would be compared with trials trained on the first data under one parent run. {@code --resume}
     * finds the data folder the execution recorded, but {@code --data-dir} or {@code CINELAB_DATA}
     * can name another.
     */
    void checkSameData(StateStore.ExperimentState state, PreparedData data) {
        if (!options.resume() || state.dataSha256 == null || state.dataSha256.equals(data.dataSha256())) return;
        throw refuse("cannot resume: the data loaded from " + options.dataDir() + " (dataset sha256 " + shortSha(data.dataSha256())
                + ") is not the data the execution started with (" + shortSha(state.dataSha256)
                + (state.dataDir != null ? ", from " + state.dataDir : "") + "); resume with --data-dir naming that data,"
                + " or run without --resume to start a new execution");
    }

    /**
     * The search as it stood: every stored trial in creation order with its values, target,
     * status and per-epoch objective. Indices must run 0..n-1 without a gap: a trial's state is
     * written before it is handed to a worker, so a gap means the directory was tampered with.
     */
    SearchState rebuild(Search search) throws IOException {
        SearchState state = search.newState();
        List<TrialState> trials = store.readTrials();
        for (TrialState t : trials) {
            if (ExperimentRunner.REFIT_ID.equals(t.trialId)) continue;
            if (t.index != state.size() || !search.trialId(t.index).equals(t.trialId)) {
                throw refuse("cannot resume: trial states in " + store.describe() + " are incomplete"
                        + " (found " + t.trialId + " with index " + t.index + " where " + search.trialId(state.size())
                        + " was expected); run without --resume to start a new execution");
            }
            t.values = search.space().isEmpty() ? t.values : coerce(search, t);
            state.add(t.toRecord(spec.objective().metric()));
        }
        return state;
    }

    /** Stored values back in the Java types the sampler gave them (JSON reads 2.0 as a Double but 2 as an Integer). */
    private static java.util.Map<String, Object> coerce(Search search, TrialState t) {
        java.util.Map<String, Object> out = new java.util.TreeMap<>();
        t.values.forEach((k, v) -> {
            Domain d = search.space().domain(k);
            Object typed = v;
            if (d instanceof Domain.Choice c) {
                for (Object candidate : c.values()) if (sameValue(candidate, v)) typed = candidate;
            } else if (d instanceof Domain.IntRange && v instanceof Number n) {
                typed = n.longValue() == n.intValue() ? (Object) n.intValue() : (Object) n.longValue();
            } else if (d != null && v instanceof Number n) {
                typed = n.doubleValue();
            }
            out.put(k, typed);
        });
        return out;
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!sameValue(x.get(i), y.get(i))) return false;
            return true;
        }
        return java.util.Objects.equals(a, b);
    }

    private static String overrides(List<String> overrides) {
        return overrides == null || overrides.isEmpty() ? "" : " --set " + String.join(" --set ", overrides);
    }

    private static String shortSha(String sha) { return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length())); }
}
