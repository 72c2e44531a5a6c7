package org.cinelab.search;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The rule between two rungs: the best {@code keep} trials by the objective at this rung continue
 * (resuming from their checkpoints). Failed trials and NaN values never continue, even if that
 * leaves fewer than {@code keep}; equal values go to the lower trial id, so the choice is reproducible.
 */
public final class Promotion {
    private Promotion() {}

    /** The trials that continue, best first. */
    public static List<TrialRecord> survivors(List<TrialRecord> members, int keep, ToDoubleFunction<TrialRecord> value,
                                              Objective objective) {
        if (keep < 0) throw new IllegalArgumentException("keep must be >= 0, got " + keep);
        return members.stream()
                .filter(r -> r.status() != TrialRecord.Status.FAILED && !Double.isNaN(value.applyAsDouble(r)))
                .sorted(objective.ranking(value, TrialRecord::id))
                .limit(keep)
                .toList();
    }
}
