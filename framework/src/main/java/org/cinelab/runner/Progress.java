package org.cinelab.runner;

import org.cinelab.search.TrialConfig;
import org.cinelab.spec.ExperimentSpec;

import java.io.PrintWriter;

/** Prints one line per trained trial segment, with the best validation value so far. */
final class Progress {
    private final PrintWriter out;
    private final ExperimentSpec.ObjectiveSpec objective;
    private final EarlyStopper earlyStopper;
    private double best = Double.NaN;
    private String bestTrial = "-";

    Progress(PrintWriter out, ExperimentSpec.ObjectiveSpec objective, EarlyStopper earlyStopper) {
        this.out = out;
        this.objective = objective;
        this.earlyStopper = earlyStopper;
    }

    synchronized void report(TrialConfig trial, TrialState s, int targetEpochs) {
        String key = "val_" + objective.metric();
        if (s.status == TrialState.Status.FAILED) {
            out.printf("  %s FAILED after %d epoch(s): %s%n", trial.id(), s.epochsDone, s.failure);
            return;
        }
        double v = earlyStopper.rungValue(s, targetEpochs);
        if (!Double.isNaN(v) && (Double.isNaN(best) || (objective.mode() == ExperimentSpec.Mode.MIN ? v < best : v > best))) {
            best = v;
            bestTrial = trial.id();
        }
        String stopped = s.earlyStopped ? "  " + EarlyStopper.stopReason(s) : "";
        out.printf("  %s epoch %d/%d  %s=%.4f  best %.4f (%s)%s%n", trial.id(), s.epochsDone, targetEpochs, key, v, best,
                bestTrial, stopped);
    }
}
