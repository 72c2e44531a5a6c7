package org.cinelab.runner;

import org.cinelab.search.Scheduler;
import org.cinelab.search.SearchState;
import org.cinelab.search.TrialRecord;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What a search prints while it runs. Whenever a trial pauses, finishes or fails: one line with
 * its values, the true best so far (the trial that ranks first now, by the same rule as the final
 * summary), trials and epochs done against the plan, elapsed time and ETA. On a terminal, a live
 * status line below them is redrawn after every epoch; in a pipe or CI log only the plain lines
 * appear. Called on the search loop's thread.
 */
final class Progress {
    private final PrintWriter out;
    private final SearchState state;
    private final Scheduler scheduler;
    private final boolean live;
    private final String key;
    private final long startNanos = System.nanoTime();
    private final long epochsAtStart;
    private int liveWidth;

    /** @param live redraw a status line with carriage returns (stdout is a terminal) */
    Progress(PrintWriter out, SearchState state, Scheduler scheduler, boolean live) {
        this.out = out;
        this.state = state;
        this.scheduler = scheduler;
        this.live = live;
        this.key = "val_" + state.objective().metric();
        this.epochsAtStart = state.epochsTrained();
    }

    /** Whether this process's standard output is a terminal (not a pipe, file or CI log). */
    static boolean stdoutIsTerminal() {
        return System.console() != null && System.getenv("CI") == null;
    }

    void started(TrialRecord r) { redraw(); }

    void resumed(TrialRecord r) { redraw(); }

    void epoch(TrialRecord r, TrialState s) { redraw(); }

    void ended(TrialRecord r, TrialState s) {
        String what;
        if (s.status == TrialState.Status.FAILED) {
            what = "FAILED after " + s.epochsDone + " epoch(s): " + s.failure;
        } else {
            what = String.format(Locale.ROOT, "epochs %d/%d  %s=%s", s.epochsDone, r.target(), key, number(state.value(r)));
            if (s.earlyStopped) what += "  " + TrialRunner.earlyStopReason(s);
            else if (s.status == TrialState.Status.PAUSED) what += "  paused";
            else if (s.stopReason != null) what += "  " + s.stopReason;
        }
        clearLive();
        out.printf(Locale.ROOT, "  %s %s  %s%n    best %s | %s%n", r.id(), values(r), what, best(), counts());
        out.flush();
        redraw();
    }

    /** Clears the live line before other output (the summary); no-op in plain mode. */
    void close() {
        clearLive();
        out.flush();
    }

    private void redraw() {
        if (!live) return;
        String line = "  [" + counts() + " | best " + best() + "]";
        out.print("\r" + line + " ".repeat(Math.max(0, liveWidth - line.length())));
        liveWidth = line.length();
        out.flush();
    }

    private void clearLive() {
        if (!live || liveWidth == 0) return;
        out.print("\r" + " ".repeat(liveWidth) + "\r");
        liveWidth = 0;
    }

    private static String values(TrialRecord r) {
        return r.values().isEmpty() ? "" : org.cinelab.search.PlanPrinter.values(r.values());
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

    /** {@code trials 12/143, epochs 57/1581, 0:32 elapsed, ETA 3:10}. */
    private String counts() {
        long done = state.records().stream().filter(r -> r.status().isDone()).count();
        Scheduler.Budget budget = scheduler.budget();
        long trained = state.epochsTrained();
        String planned = budget.exact() ? Long.toString(budget.maxEpochs()) : budget.minEpochs() + "-" + budget.maxEpochs();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long here = trained - epochsAtStart;
        String eta = "";
        if (here > 0 && trained < budget.maxEpochs()) {
            double perEpoch = seconds / here;
            eta = ", ETA " + (budget.exact() ? "" : "<= ") + clock(perEpoch * (budget.maxEpochs() - trained));
        }
        return String.format(Locale.ROOT, "trials %d/%d, epochs %d/%s, %s elapsed%s", done, scheduler.maxTrials(),
                trained, planned, clock(seconds), eta);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    static String number(double v) {
        return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.4f", v);
    }
}
