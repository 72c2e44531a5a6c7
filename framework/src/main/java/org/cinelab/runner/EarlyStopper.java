package org.cinelab.runner;

import org.cinelab.spec.ExperimentSpec;

/**
 * {@code search.early_stopping} applied to a trial's history, as Keras' EarlyStopping with
 * {@code restore_best_weights}: an epoch improves when its validation objective beats the best so
 * far by more than {@code min_delta}; after {@code patience} epochs without one the trial stops.
 * The best epoch is a function of the history alone, so a resumed run finds the same one.
 */
final class EarlyStopper {
    private final ExperimentSpec.EarlyStopping settings;
    private final String metric;
    private final boolean minimise;

    /** @param settings null when early stopping is off */
    EarlyStopper(ExperimentSpec.EarlyStopping settings, ExperimentSpec.ObjectiveSpec objective) {
        this.settings = settings;
        this.metric = objective.metric();
        this.minimise = objective.mode() == ExperimentSpec.Mode.MIN;
    }

    boolean enabled() { return settings != null; }

    /**
     * The best epoch among those up to {@code lastEpoch}, or 0 when none has a finite objective.
     * Rungs compare trials with this at the rung's epochs, so a resumed run, replaying the rungs
     * with histories that may reach further, promotes the same trials.
     */
    int bestEpoch(TrialState s, int lastEpoch) {
        int best = 0;
        double bestValue = Double.NaN;
        for (TrialState.EpochRecord r : s.history) {
            if (r.epoch > lastEpoch) break;
            double v = r.validation.getOrDefault(metric, Double.NaN);
            if (Double.isFinite(v) && (best == 0 || improves(v, bestValue))) {
                best = r.epoch;
                bestValue = v;
            }
        }
        return best;
    }

    private boolean improves(double v, double best) {
        return minimise ? v < best - settings.minDelta() : v > best + settings.minDelta();
    }

    /** Records the epoch just trained: moves the best epoch and stops the trial once patience runs out. */
    void update(TrialState s) {
        s.bestEpoch = bestEpoch(s, s.epochsDone);
        if (s.epochsDone - s.bestEpoch >= settings.patience()) s.earlyStopped = true;
    }

    /**
     * What a rung compares a trial by after {@code epochs}: with early stopping its best value up to
     * then (a trial stopped earlier still competes with it), else its value at that epoch.
     */
    double rungValue(TrialState s, int epochs) {
        if (!enabled()) return s.validationAt(epochs, metric);
        int best = bestEpoch(s, epochs);
        return best == 0 ? Double.NaN : s.validationAt(best, metric);
    }

    static String stopReason(TrialState s) {
        return "early stopped at epoch " + s.epochsDone + " (best epoch " + s.bestEpoch + ")";
    }
}
