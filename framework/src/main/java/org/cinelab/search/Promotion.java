package org.cinelab.search;

import org.cinelab.spec.ExperimentSpec.Mode;

import java.util.Comparator;
import java.util.List;

/**
 * The rule between two rungs of a bracket: the best {@code keep} trials by the objective at this
 * rung continue (resuming from their checkpoints). Failed trials and NaN metrics never continue,
 * even if that leaves fewer than {@code keep}; equal metrics are ordered by trial id so the
 * choice is reproducible.
 */
public final class Promotion {
    private Promotion() {}

    /** Ids of the trials that continue, best first. */
    public static List<String> survivors(List<TrialOutcome> outcomes, int keep, Mode mode) {
        if (keep < 0) throw new IllegalArgumentException("keep must be >= 0, got " + keep);
        Comparator<TrialOutcome> byMetric = Comparator.comparingDouble(TrialOutcome::metric);
        if (mode == Mode.MAX) byMetric = byMetric.reversed();
        return outcomes.stream()
                .filter(TrialOutcome::promotable)
                .sorted(byMetric.thenComparing(TrialOutcome::trialId))
                .limit(keep)
                .map(TrialOutcome::trialId)
                .toList();
    }
}
