package org.cinelab.search;

/**
 * What a trial reported at the end of a rung: its validation metric at that rung's epoch budget,
 * or that it failed. Input to {@link Promotion}.
 */
public record TrialOutcome(String trialId, double metric, boolean failed) {

    public static TrialOutcome of(String trialId, double metric) {
        return new TrialOutcome(trialId, metric, false);
    }

    public static TrialOutcome failure(String trialId) {
        return new TrialOutcome(trialId, Double.NaN, true);
    }

    /** False for a failed trial or a NaN metric; such a trial never continues to the next rung. */
    public boolean promotable() {
        return !failed && !Double.isNaN(metric);
    }
}
