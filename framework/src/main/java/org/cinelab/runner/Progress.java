package org.cinelab.runner;

import org.cinelab.search.Scheduler;
import org.cinelab.search.SearchState;
import org.cinelab.search.TrialRecord;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What a search prints while it runs: a line whenever a trial pauses, finishes or fails, with the
 * true best so far (the trial that currently ranks first, by the same rule as the final summary),
 * trials and epochs done against the plan, and the elapsed time. Called on the search loop's thread.
 */
final class Progress {
    private final PrintWriter out;
    private final SearchState state;
    private final Scheduler scheduler;
    private final String key;
    private final long startNanos = System.nanoTime();
    private final long epochsAtStart;

    Progress(PrintWriter out, SearchState state, Scheduler scheduler) {
        this.out = out;
        this.state = state;
        this.scheduler = scheduler;
        this.key = "val_" + state.objective().metric();
        this.epochsAtStart = state.epochsTrained();
    }

    void started(TrialRecord r) {}

    void resumed(TrialRecord r) {}

    void epoch(TrialRecord r, TrialState s) {}

    synchronized void ended(TrialRecord r, TrialState s) {
        String what;
        if (s.status == TrialState.Status.FAILED) {
            what = "FAILED after " + s.epochsDone + " epoch(s): " + s.failure;
        } else {
            what = String.format(Locale.ROOT, "epoch %d/%d  %s=%s", s.epochsDone, r.target(), key,
                    number(state.value(r)));
            if (s.earlyStopped) what += "  " + TrialRunner.earlyStopReason(s);
            else if (s.status == TrialState.Status.PAUSED) what += "  (paused)";
        }
        out.printf(Locale.ROOT, "  %s %s  | best %s | %s%n", r.id(), what, best(), counts());
        out.flush();
    }

    /** {@code 0.9123 (t004)}: the trial that ranks first now. */
    private String best() {
        TrialRecord best = null;
        for (TrialRecord r : state.records()) {
            double v = state.value(r);
            if (Double.isNaN(v)) continue;
            if (best == null || state.objective().isBetter(v, state.value(best))) best = r;
        }
        return best == null ? "-" : number(state.value(best)) + " (" + best.id() + ")";
    }

    /** {@code trials 12/143, epochs 57/1581, 0:32 elapsed}. */
    private String counts() {
        long done = state.records().stream().filter(r -> r.status().isDone()).count();
        Scheduler.Budget budget = scheduler.budget();
        String planned = budget.exact() ? Long.toString(budget.maxEpochs()) : "<=" + budget.maxEpochs();
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        return String.format(Locale.ROOT, "trials %d/%d, epochs %d/%s, %d:%02d elapsed", done, scheduler.maxTrials(),
                state.epochsTrained(), planned, seconds / 60, seconds % 60);
    }

    static String number(double v) {
        return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.4f", v);
    }
}
